using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
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
public sealed class DecisionModel(DecisionService decisions, DerogationDbContext db, AccountEmails links, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Others to receive a copy of the letter, one per line: "Name ; e-mail address".</summary>
    [BindProperty]
    public string? OtherRecipients { get; set; }

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

        var recipients = ParseRecipients();
        if (recipients is null)
        {
            ModelState.AddModelError(nameof(OtherRecipients), l["DecisionRecipientsFormat"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (error, _) = await decisions.DecideAsync(Application.Reference!, new DecisionInput(Outcome!.Value, Reasons, Conditions, SignatoryId!.Value, recipients),
            User.UserId(), links.AbsoluteUrl(Request, ""), RowVersion);
        switch (error)
        {
            case DecisionError.None:
                TempData["Message"] = l["DecisionRecorded", l["Outcome" + Outcome]].Value;
                return Redirect($"/instruction/{Application.Reference}");
            case DecisionError.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(error switch
                {
                    DecisionError.ReasonsRequired => nameof(Reasons),
                    DecisionError.ValidityRequired or DecisionError.ValidityEndBeforeStart => "Conditions.ValidUntil",
                    DecisionError.NotASignatory => nameof(SignatoryId),
                    DecisionError.RecipientInvalid => nameof(OtherRecipients),
                    _ => "",
                }, l["DecisionError" + error]);
                return Page();
        }
    }

    /// <summary>The letter as it would be issued from what is typed, marked as a draft; nothing is saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var input = new DecisionInput(Outcome ?? DecisionOutcome.Grant, Reasons, Conditions, SignatoryId ?? Guid.Empty, ParseRecipients() ?? []);
        var pdf = await decisions.PreviewAsync(Application.Reference!, input, links.AbsoluteUrl(Request, ""));
        return pdf is null ? NotFound() : File(pdf, "application/pdf", $"projet-decision-{Application.Reference}.pdf");
    }

    /// <summary>One recipient per line, "Name ; e-mail"; null when a line does not read so.</summary>
    private List<Derogation.Core.Letters.LetterRecipient>? ParseRecipients()
    {
        var recipients = new List<Derogation.Core.Letters.LetterRecipient>();
        foreach (var line in (OtherRecipients ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !System.Net.Mail.MailAddress.TryCreate(parts[1], out _))
            {
                return null;
            }

            recipients.Add(new Derogation.Core.Letters.LetterRecipient(parts[0], parts[1]));
        }

        return recipients;
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
