using Derogation.Core.Audit;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Derogation.Web.Hosting;

/// <summary>
/// Not ready while the latest verification of the audit chain found it broken: an operator sees it in the
/// readiness detail (position only) as well as in the administrators' alert.
/// </summary>
internal sealed class AuditChainHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var latest = await scope.ServiceProvider.GetRequiredService<AuditAnchoring>().LatestAsync(cancellationToken);
        return latest?.FirstBrokenPosition is { } position
            ? HealthCheckResult.Unhealthy($"Audit chain broken at position {position} (verified {latest.VerifiedAt:yyyy-MM-ddTHH:mm:ssZ}).")
            : HealthCheckResult.Healthy(latest is null ? "Audit chain not verified yet." : "Audit chain intact at its last verification.");
    }
}

/// <summary>
/// The readiness answer: "Healthy" alone, or the status followed by one line per failing check — its name and what
/// failed (never an exception's message, which may name a host).
/// </summary>
internal static class ReadinessResponse
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = new List<string> { report.Status.ToString() };
        lines.AddRange(report.Entries.Where(e => e.Value.Status != HealthStatus.Healthy).Select(e => $"{e.Key}: {e.Value.Description}"));
        return context.Response.WriteAsync(string.Join('\n', lines));
    }
}
