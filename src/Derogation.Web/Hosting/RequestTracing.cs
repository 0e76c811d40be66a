using System.Diagnostics;
using System.Text.RegularExpressions;
using Serilog.Context;

namespace Derogation.Web.Hosting;

/// <summary>
/// Gives every request a correlation id (the caller's X-Correlation-ID when well-formed, else a new one),
/// returns it in the response, attaches it to every log event of the request, and writes one log line per
/// request. That line names the route template, never the raw path or query string, which could carry
/// tokens or, by mistake, personal data.
/// </summary>
internal sealed partial class RequestTracing(RequestDelegate next, ILogger<RequestTracing> logger)
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
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            finally
            {
                var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "(no route)";
                logger.LogInformation(
                    "HTTP {Method} {Route} responded {StatusCode} in {ElapsedMs:0.0} ms",
                    context.Request.Method, "/" + route.TrimStart('/'), context.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }

    [GeneratedRegex("^[A-Za-z0-9._-]{8,64}$")]
    private static partial Regex WellFormed();
}
