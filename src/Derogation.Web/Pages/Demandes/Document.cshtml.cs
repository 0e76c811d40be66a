using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Net.Http.Headers;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// Downloads one document, always as an attachment, only for those who may see the application; the bytes are
/// streamed from the database as they are read.
/// </summary>
public sealed class DocumentModel(DerogationDbContext db, DocumentStore store) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string key, Guid document)
    {
        var visible = db.Applications.AsNoTracking().VisibleTo(User.AsViewer());
        var application = Guid.TryParse(key, out var id)
            ? await visible.SingleOrDefaultAsync(a => a.Id == id)
            : await visible.SingleOrDefaultAsync(a => a.Reference == key.ToUpperInvariant());
        var reference = application?.Answers.Documents.SingleOrDefault(d => d.Id == document);
        if (application is null || reference is null)
        {
            return NotFound();
        }

        Response.ContentType = reference.ContentType;
        Response.ContentLength = reference.SizeBytes;
        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = reference.FileName }.ToString();
        await store.CopyToAsync(application.Id, reference.Id, Response.Body, HttpContext.RequestAborted);
        return new EmptyResult();
    }
}
