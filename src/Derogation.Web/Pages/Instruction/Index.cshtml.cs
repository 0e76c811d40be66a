using Derogation.Core.Applications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>The reviewers' queue (policy Ansm: second factor required). Filters live in the address, so a view can be bookmarked.</summary>
public sealed class IndexModel(ReviewQueue queue, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "onglet")]
    public QueueTab Tab { get; set; } = QueueTab.ToTake;

    [BindProperty(SupportsGet = true, Name = "type")]
    public ApplicationKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "base")]
    public LegalBasis? LegalBasis { get; set; }

    [BindProperty(SupportsGet = true, Name = "urgence")]
    public Urgency? Urgency { get; set; }

    [BindProperty(SupportsGet = true, Name = "recherche")]
    public string? Search { get; set; }

    [BindProperty(SupportsGet = true, Name = "page")]
    public int PageNumber { get; set; } = 1;

    public QueuePage Queue { get; private set; } = null!;

    public DateOnly Today => queue.Today;

    public bool CanTake => User.IsReviewer();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() =>
        Queue = await queue.ReadAsync(new QueueFilter(Tab, Kind, LegalBasis, Urgency, null, Search, PageNumber), User.UserId());

    public async Task<IActionResult> OnPostTakeAsync(string reference)
    {
        if (!CanTake)
        {
            return NotFound();
        }

        var (outcome, holder) = await queue.TakeAsync(reference, User.UserId());
        if (outcome == TakeOutcome.NotFound)
        {
            return NotFound();
        }

        Message = outcome == TakeOutcome.Taken ? l["TakenConfirmation", reference] : l["AlreadyTaken", reference, holder ?? "—"];
        return outcome == TakeOutcome.Taken ? RedirectToPage("/Instruction/Dossier", new { reference }) : RedirectToPage("/Instruction/Index");
    }

    /// <summary>The address of this view with one setting changed (tabs, pages), keeping the others.</summary>
    public string Link(QueueTab? tab = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["onglet"] = (tab ?? Tab).ToString(),
            ["type"] = Kind?.ToString(),
            ["base"] = LegalBasis?.ToString(),
            ["urgence"] = Urgency?.ToString(),
            ["recherche"] = Search,
            ["page"] = (page ?? (tab is null ? PageNumber : 1)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Url.Page("/Instruction/Index")!, query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }
}
