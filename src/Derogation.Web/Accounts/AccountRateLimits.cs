using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;

namespace Derogation.Web.Accounts;

/// <summary>
/// Sign-in, registration and password-reset forms accept a limited number of submissions per minute and per
/// client address (Accounts:FormPostsPerMinute, default 10); reading the forms is never limited.
/// </summary>
public static class AccountRateLimits
{
    public const string Policy = "account-forms";

    public static void AddAccountRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var permitLimit = configuration.GetValue("Accounts:FormPostsPerMinute", 10);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(Policy, context => HttpMethods.IsPost(context.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = permitLimit, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("read"));
        });
    }
}
