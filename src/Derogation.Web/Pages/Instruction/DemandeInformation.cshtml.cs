using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// A request for information: the message, optionally a file, the sections the applicant may amend and a
/// deadline. The domain service checks everything again; a change made meanwhile is said plainly, and nothing
/// typed is lost (only a chosen file has to be chosen again: browsers never refill a file field).
/// </summary>
public sealed class DemandeInformationModel(
    InformationRequests requests, DerogationDbContext db, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Message { get; set; }

    [BindProperty]
    public List<string> Sections { get; set; } = [];

    [BindProperty]
    public DateOnly? AnswerDeadline { get; set; }

    /// <summary>Also send the prescriber a link to complete their part (individual applications).</summary>
    [BindProperty]
    public bool AskPrescriber { get; set; }

    [BindProperty]
    public IFormFile? Attachment { get; set; }

    [BindProperty]
    public uint? RowVersion { get; set; }

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<WizardStep> Steps => WizardSteps.For(Application.Kind);

    /// <summary>A question on a granted (or suspended) derogation: no section to open, no clock to stop.</summary>
    public bool AfterDecision => InformationRequests.MayAskAfterDecision(Application.Status);

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        RowVersion = Application.RowVersion;
        return Application.Status == ApplicationStatus.UnderReview || AfterDecision ? Page() : RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        // Every rule on the request is the service's; the page only places each answer beside its field.
        await using var content = Attachment?.OpenReadStream();
        var (error, uploadError, _) = await requests.RequestAsync(Application.Reference!,
            new InformationRequestInput(Message, Sections, AnswerDeadline, AskPrescriber),
            Attachment is null ? null : new RequestAttachment(Attachment.FileName, content!),
            User.UserId(), RowVersion);
        switch (error)
        {
            case InformationRequestError.None:
                TempData["Message"] = l["InformationRequestSent"].Value;
                return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
            case InformationRequestError.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(error switch
                {
                    InformationRequestError.MessageRequired or InformationRequestError.MessageTooLong => nameof(Message),
                    InformationRequestError.DeadlineNotInFuture => nameof(AnswerDeadline),
                    InformationRequestError.AttachmentRejected => nameof(Attachment),
                    InformationRequestError.UnknownSection or InformationRequestError.NothingToAmendAfterDecision => nameof(Sections),
                    InformationRequestError.NoPrescriberToAsk => nameof(AskPrescriber),
                    _ => "",
                }, error switch
                {
                    InformationRequestError.AttachmentRejected => Applications.UploadErrors.Message(l, uploadError!, documentOptions),
                    InformationRequestError.MessageTooLong => l["TooLong", InformationRequests.MaxTextLength],
                    InformationRequestError.MessageRequired => l["InformationMessageRequired"],
                    _ => l["InformationError" + error],
                });
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
        return true;
    }
}
