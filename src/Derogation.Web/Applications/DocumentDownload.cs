using Derogation.Core.Applications;
using Derogation.Core.Documents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;

namespace Derogation.Web.Applications;

/// <summary>A stored document sent as an attachment, streamed from the database as it is read.</summary>
public static class DocumentDownload
{
    public static async Task<IActionResult> SendAsync(HttpResponse response, DocumentStore store, Guid applicationId, DocumentReference document)
    {
        response.ContentType = document.ContentType;
        response.ContentLength = document.SizeBytes;
        response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileNameStar = document.FileName }.ToString();
        await store.CopyToAsync(applicationId, document.Id, response.Body, response.HttpContext.RequestAborted);
        return new EmptyResult();
    }
}
