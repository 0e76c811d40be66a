namespace Derogation.Web.Hosting;

/// <summary>
/// The security baseline every response carries. The Content-Security-Policy allows only the portal's own
/// scripts, styles and fonts (DSFR is served from wwwroot/lib), data: images (DSFR's inline SVG icons),
/// and no framing at all.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            // The API reference (Scalar) runs its configuration script under a per-request nonce and injects its styles.
            headers.ContentSecurityPolicy = context.Items["Scalar.Nonce"] is string nonce
                ? ContentSecurityPolicy.Replace("script-src 'self'", $"script-src 'self' 'nonce-{nonce}'", StringComparison.Ordinal)
                    .Replace("style-src 'self'", "style-src 'self' 'unsafe-inline'", StringComparison.Ordinal)
                : ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}
