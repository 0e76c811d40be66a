using System.Text.RegularExpressions;
using Serilog.Context;

namespace Derogation.Web.Hosting;

/// <summary>
/// Gives every request a correlation id (the caller's X-Correlation-ID when well-formed, else a new one),
/// returns it in the response and attaches it to every log event of the request — the request line written by
/// <see cref="PortalLogging.UsePortalRequestLogging"/> included.
/// </summary>
internal sealed partial class RequestTracing(RequestDelegate next)
{
    public const string HeaderName = "X-Correlation-ID";

    public async Task InvokeAsync(HttpContext context)
    {
        var incoming = context.Request.Headers[HeaderName].ToString();
        var correlationId = WellFormed().IsMatch(incoming) ? incoming : Guid.NewGuid().ToString("N");
        context.TraceIdentifier = correlationId;
        // Set when the response starts: the exception handler clears headers set before a failure.
        context.Response.OnStarting(() =>
        {
            context.Response.Headers[HeaderName] = correlationId;
            return Task.CompletedTask;
        });

        using (LogContext.PushProperty("CorrelationId", correlationId))
        {
            await next(context);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex WellFormed();
}
