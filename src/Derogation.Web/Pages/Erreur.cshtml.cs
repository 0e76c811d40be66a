using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages;

/// <summary>
/// 404, 500 and every other error, in the portal's shell. The exception handler and the status-code pages
/// re-execute the request here, whatever its method, so the page answers GET and POST alike and never asks
/// for an antiforgery token (the original request may have failed for lack of one).
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class ErreurModel : PageModel
{
    public int StatusCodeShown { get; private set; }

    public string IncidentReference => HttpContext.TraceIdentifier;

    /// <summary>For a 400: the field whose value was refused (Hosting/MalformedInput).</summary>
    public string? MalformedField => HttpContext.Items[Hosting.MalformedInput.FieldItem] as string;

    public void OnGet() => Show(CodeInRoute);

    public void OnPost() => Show(CodeInRoute);

    // Read straight from the route, without model binding: binding would try to read the form of the failed
    // request (an oversized upload, say) and fail again.
    private int? CodeInRoute => int.TryParse(RouteData.Values["code"]?.ToString(), out var code) ? code : null;

    private void Show(int? code)
    {
        // A direct visit to /erreur/404 answers 404 too. Without a code (the exception handler), the status it chose:
        // 503 for a database outage, 500 otherwise.
        code ??= Response.StatusCode;
        StatusCodeShown = code is >= 400 and <= 599 ? code.Value : 500;
        Response.StatusCode = StatusCodeShown;
        if (StatusCodeShown == StatusCodes.Status503ServiceUnavailable)
        {
            Response.Headers.RetryAfter = Hosting.DatabaseOutage.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
