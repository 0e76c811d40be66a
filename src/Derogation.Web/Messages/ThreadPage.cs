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

namespace Derogation.Web.Messages;

/// <summary>
/// An application's message thread, on either side: the messages (reading marks the other side's read), a file per
/// message to download, and the form to write. The service checks the text and the file; what was typed stays on refusal.
/// </summary>
public abstract class ThreadPage(DerogationDbContext db, CaseMessages messages, DocumentStore store, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Text { get; set; }

    [BindProperty]
    public IFormFile? Attachment { get; set; }

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<ThreadMessage> Thread { get; private set; } = [];

    /// <summary>This page is ANSM's (else the applicant's side).</summary>
    public abstract bool ForAnsm { get; }

    /// <summary>May write (the applicant's side always; at ANSM, reviewers).</summary>
    public virtual bool MayWrite => true;

    /// <summary>The application this user may see (the access rule of every page), submitted; null otherwise (404).</summary>
    private async Task<Application?> FindAsync(string reference) =>
        await db.Applications.AsNoTracking().FindVisibleAsync(reference, User.AsViewer()) is { Reference: not null } application ? application : null;

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (await FindAsync(reference) is not { } application)
        {
            return NotFound();
        }

        Application = application;
        Thread = await messages.ReadAsync(application.Id, ForAnsm);
        return Page();
    }

    public async Task<IActionResult> OnGetFileAsync(string reference, Guid message)
    {
        if (await FindAsync(reference) is not { } application)
        {
            return NotFound();
        }

        var file = await messages.AttachmentAsync(application.Id, message);
        return file is null ? NotFound() : await DocumentDownload.SendAsync(Response, store, application.Id, file);
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (await FindAsync(reference) is not { } application || !MayWrite)
        {
            return NotFound();
        }

        Application = application;
        await using var content = Attachment?.OpenReadStream();
        var (error, refusal, findings) = await messages.SendAsync(application, User.UserId(), ForAnsm, Text,
            Attachment is null ? null : new RequestAttachment(Attachment.FileName, content!));
        switch (error)
        {
            case MessageError.None:
                TempData["Message"] = l["MessageSent"].Value;
                return RedirectToPage(null, null, new { reference = application.Reference }, "dernier-message");
            case MessageError.NotFound:
                return NotFound();
            case MessageError.AttachmentRejected:
                ModelState.AddModelError(nameof(Attachment), UploadErrors.Message(l, refusal!, documentOptions));
                break;
            case MessageError.Identifying:
                foreach (var finding in findings)
                {
                    ModelState.AddModelError(nameof(Text), l["Anon" + finding.Problem, l["MessageText"], finding.Found]);
                }

                break;
            default:
                ModelState.AddModelError(nameof(Text), error == MessageError.TooLong ? l["TooLong", CaseMessages.MaxLength] : l["MessageTextRequired"]);
                break;
        }

        Thread = await messages.ReadAsync(application.Id, ForAnsm);
        return Page();
    }
}
