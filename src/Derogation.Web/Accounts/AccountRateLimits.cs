using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Derogation.Web.Accounts;

/// <summary>
/// The public forms (sign-in, registration, password reset, second factor, the incident report, the prescriber's
/// link) accept a limited number of submissions per minute (Accounts:FormPostsPerMinute, default 10), counted per
/// client address — the real one behind a known proxy (forwarded headers) — and per form: ten incident reports do
/// not use up anyone's sign-ins, and one person's attempts do not lock out everyone behind the same proxy. Reading the
/// forms is never limited.
/// </summary>
public static class AccountRateLimits
{
    public const string Policy = "public-forms";

    public static void AddAccountRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var permitLimit = configuration.GetValue("Accounts:FormPostsPerMinute", 10);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    $"{context.Connection.RemoteIpAddress?.ToString() ?? "unknown"}|{FormOf(context)}",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
        });
    }

    /// <summary>Which form: its route template (a token in the address does not make a new budget).</summary>
    private static string FormOf(HttpContext context) =>
        (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
}
