using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Derogation.Web.Applications;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// Downloads one document, always as an attachment, only for those who may see the application; the bytes are
/// streamed from the database as they are read.
/// </summary>
public sealed class DocumentModel(DerogationDbContext db, DocumentStore store, Derogation.Core.Review.InformationRequests requests) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string key, Guid document)
    {
        var application = await db.Applications.AsNoTracking().FindVisibleAsync(key, User.AsViewer());
        // One of the application's documents, or the file ANSM attached to a request for information.
        var file = application?.Answers.Documents.SingleOrDefault(d => d.Id == document)
                   ?? (application?.Reference is null ? null : await requests.AttachmentAsync(application.Id, document))
                   // A document of a submitted version, since replaced in the application (an answer changed it).
                   ?? (application?.Reference is null ? null
                       : (await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id).Select(v => v.Answers).ToListAsync())
                           .SelectMany(a => a.Documents).FirstOrDefault(d => d.Id == document));
        return application is null || file is null ? NotFound() : await DocumentDownload.SendAsync(Response, store, application.Id, file);
    }
}
