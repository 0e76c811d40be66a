using System.Security.Claims;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Derogation.Core.Accounts;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Derogation.Web.Api;

/// <summary>
/// The API's authentication: <c>Authorization: Bearer dgt_…</c>, a personal access token (<see cref="ApiTokens"/>). The
/// principal carries the same claims as a signed-in session (user, organisation, kind, roles) plus the token's scope;
/// the API never reads the session cookie, so a page cannot be made to call it on a user's behalf.
/// </summary>
public sealed class ApiTokenAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokens tokens)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string ScopeClaim = "api_scope";
    public const string TokenClaim = "api_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var caller = await tokens.AuthenticateAsync(header["Bearer ".Length..].Trim());
        if (caller is null)
        {
            // Unknown, revoked or expired: the same answer for each (nothing to learn from trying).
            return AuthenticateResult.Fail("The token is not valid.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, caller.UserId.ToString()),
            new(PortalClaims.OrganisationId, caller.OrganisationId.ToString()),
            new(PortalClaims.OrganisationKind, caller.OrganisationKind.ToString()),
            new(ScopeClaim, caller.CanWrite ? "write" : "read"),
            new(TokenClaim, caller.TokenId.ToString()),
        };
        claims.AddRange(caller.Roles.Select(role => new Claim(ClaimTypes.Role, role)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized, "ApiUnauthorized");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden, "ApiForbidden");
}

public static class ApiAccess
{
    public const string Read = "api-read";
    public const string Write = "api-write";
    public const string RateLimit = "api";

    public static void AddPortalApiAccess(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiTokenAuthenticationHandler>(ApiTokenAuthenticationHandler.SchemeName, null);
        services.AddAuthorizationBuilder()
            // Filers only (manufacturers and consultants): ANSM endpoints are not part of this API.
            .AddPolicy(Read, policy => policy.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireRole(Roles.Manufacturer, Roles.Consultant))
            .AddPolicy(Write, policy => policy.AddAuthenticationSchemes(ApiTokenAuthenticationHandler.SchemeName).RequireAuthenticatedUser()
                .RequireRole(Roles.Manufacturer, Roles.Consultant).RequireClaim(ApiTokenAuthenticationHandler.ScopeClaim, "write"));

        // Per token (per client address for the public endpoints), Api:RequestsPerMinute (default 300).
        var perMinute = configuration.GetValue("Api:RequestsPerMinute", 300);
        services.AddRateLimiter(options =>
        {
            options.AddPolicy(RateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                PartitionOf(context),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.HttpContext.Request.Path.StartsWithSegments("/api"))
                {
                    context.HttpContext.Response.Headers.RetryAfter = "60";
                    await ApiProblems.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests, "ApiTooManyRequests");
                }
            };
        });
    }

    /// <summary>
    /// The token a request presents (its hash, not the secret), else its client address. Read from the header before
    /// authentication has run, so a flood of invalid tokens is limited per token too.
    /// </summary>
    private static string PartitionOf(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
            ? "token:" + SecretTokens.Hash(header["Bearer ".Length..].Trim())
            : "address:" + (context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
    }
}
