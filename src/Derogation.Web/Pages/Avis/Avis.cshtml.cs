using Derogation.Core.Applications;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Avis;

/// <summary>
/// The expert's view of one case: the question, the case's reference, device and manufacturer, the documents the
/// reviewer named (and no other), and the answer form. Only the expert asked opens it; anyone else gets a 404.
/// </summary>
public sealed class AvisModel(ExpertOpinions opinions, DocumentStore store, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Answer { get; set; }

    [BindProperty]
    public IFormFile? Attachment { get; set; }

    public ExpertOpinion Opinion { get; private set; } = null!;

    public Application Application { get; private set; } = null!;

    /// <summary>The documents named in the request, as submitted.</summary>
    public IReadOnlyList<DocumentReference> ToRead { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id) => await LoadAsync(id) ? Page() : NotFound();

    public async Task<IActionResult> OnGetDocumentAsync(Guid id, Guid document)
    {
        if (!await LoadAsync(id) || ToRead.FirstOrDefault(d => d.Id == document) is not { } file)
        {
            return NotFound();
        }

        return await DocumentDownload.SendAsync(Response, store, Application.Id, file);
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        await using var content = Attachment?.OpenReadStream();
        var (error, refusal) = await opinions.AnswerAsync(id, User.UserId(), Answer, Attachment is null ? null : new RequestAttachment(Attachment.FileName, content!));
        switch (error)
        {
            case OpinionError.None:
                TempData["Message"] = l["OpinionGiven"].Value;
                return RedirectToPage("/Avis/Index");
            case OpinionError.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(error == OpinionError.AttachmentRejected ? nameof(Attachment) : error == OpinionError.AlreadyAnswered ? "" : nameof(Answer),
                    error switch
                    {
                        OpinionError.AttachmentRejected => UploadErrors.Message(l, refusal!, documentOptions),
                        OpinionError.TooLong => l["TooLong", ExpertOpinions.MaxTextLength],
                        _ => l["OpinionError" + error],
                    });
                await LoadAsync(id);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        if (await opinions.ForExpertAsync(id, User.UserId()) is not { } found)
        {
            return false;
        }

        (Opinion, Application) = found;
        var submitted = await opinions.SubmittedDocumentsAsync(Application.Id);
        ToRead = submitted.Where(d => Opinion.DocumentIds.Contains(d.Id)).ToList();
        return true;
    }
}
