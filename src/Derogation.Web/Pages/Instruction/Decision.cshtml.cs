using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The decision: grant, refuse or close without decision, always with reasons; a grant's conditions; the
/// signatory. The domain service checks everything again; a decision taken meanwhile by someone else is said
/// plainly, and nothing typed here is lost.
/// </summary>
public sealed class DecisionModel(DecisionService decisions, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public DecisionOutcome? Outcome { get; set; }

    [BindProperty]
    public string? Reasons { get; set; }

    [BindProperty]
    public DecisionConditions Conditions { get; set; } = new();

    [BindProperty]
    public Guid? SignatoryId { get; set; }

    [BindProperty]
    public uint? RowVersion { get; set; }

    public Application Application { get; private set; } = null!;

    public IEnumerable<(string, string)> Signatories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        RowVersion = Application.RowVersion;
        return Application.Status == ApplicationStatus.UnderReview ? Page() : Redirect($"/instruction/{Application.Reference}");
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        if (Outcome is null)
        {
            ModelState.AddModelError(nameof(Outcome), l["DecisionOutcomeRequired"]);
        }

        if (string.IsNullOrWhiteSpace(Reasons))
        {
            ModelState.AddModelError(nameof(Reasons), l["DecisionReasonsRequired"]);
        }

        if (SignatoryId is null)
        {
            ModelState.AddModelError(nameof(SignatoryId), l["DecisionSignatoryRequired"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (error, _) = await decisions.DecideAsync(Application.Reference!, new DecisionInput(Outcome!.Value, Reasons, Conditions, SignatoryId!.Value), User.UserId(), RowVersion);
        switch (error)
        {
            case DecisionError.None:
                TempData["Message"] = l["DecisionRecorded", l["DecisionOutcome" + Outcome]].Value;
                return Redirect($"/instruction/{Application.Reference}");
            case DecisionError.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(error switch
                {
                    DecisionError.ReasonsRequired => nameof(Reasons),
                    DecisionError.ValidityRequired or DecisionError.ValidityEndBeforeStart => "Conditions.ValidUntil",
                    DecisionError.NotASignatory => nameof(SignatoryId),
                    _ => "",
                }, l["DecisionError" + error]);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (!User.IsReviewer())
        {
            return false;
        }

        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).FindVisibleAsync(reference, User.AsViewer());
        if (application is null)
        {
            return false;
        }

        Application = application;
        Signatories = (await decisions.SignatoriesAsync()).Select(s => (s.Id.ToString(), $"{s.FullName} — {s.JobTitle ?? DecisionService.DefaultSignatoryTitle}"));
        return true;
    }
}
