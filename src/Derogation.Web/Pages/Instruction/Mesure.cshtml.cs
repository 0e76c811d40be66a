using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>Suspend, reinstate or withdraw a granted derogation: reasons and signatory; the letter follows.</summary>
public sealed class MesureModel(GrantMeasures measures, DecisionService decisions, DerogationDbContext db, AccountEmails links, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "type")]
    public GrantMeasureKind Kind { get; set; }

    [BindProperty]
    public string? Reasons { get; set; }

    [BindProperty]
    public Guid? SignatoryId { get; set; }

    public Application Application { get; private set; } = null!;

    public IEnumerable<(string, string)> Signatories { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference) =>
        await LoadAsync(reference) && (GrantMeasures.Applicable(Application.Status).Contains(Kind) || (Kind == GrantMeasureKind.Extension && Application.Status == ApplicationStatus.Granted))
            ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
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

        var (error, _) = await measures.TakeAsync(Application.Reference!, Kind, Reasons, SignatoryId!.Value, User.UserId(), links.AbsoluteUrl(Request, ""));
        switch (error)
        {
            case GrantMeasureError.None:
                TempData["Message"] = l["MeasureRecorded" + Kind].Value;
                return Redirect($"/instruction/{Application.Reference}");
            case GrantMeasureError.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(error switch
                {
                    GrantMeasureError.ReasonsRequired => nameof(Reasons),
                    GrantMeasureError.NotASignatory => nameof(SignatoryId),
                    _ => "",
                }, l["MeasureError" + error]);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (await db.FindForReviewerAsync(User, reference) is not { } application)
        {
            return false;
        }

        Application = application;
        Signatories = await decisions.SignatoryChoicesAsync();
        return true;
    }
}
