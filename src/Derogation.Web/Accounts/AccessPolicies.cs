using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Derogation.Web.Accounts;

/// <summary>
/// Who may open which part of the portal. Pages declare a policy by folder (Program.cs); queries still filter
/// by organisation, because a page attribute alone never decides what a user sees.
/// </summary>
public static class AccessPolicies
{
    /// <summary>Manufacturer users and consultants: those who file.</summary>
    public const string Filer = "Filer";
    public const string OrganisationAdministrator = "OrganisationAdministrator";
    /// <summary>ANSM reviewers, signatories and administrators, signed in with their second factor.</summary>
    public const string Ansm = "Ansm";
    public const string Administrator = "Administrator";
    /// <summary>ANSM users who may be asked an opinion (experts included), signed in with their second factor.</summary>
    public const string Consulted = "Consulted";

    public static void AddPortalPolicies(this AuthorizationOptions options)
    {
        options.AddPolicy(Filer, policy => policy.RequireRole(Roles.Manufacturer, Roles.Consultant));
        options.AddPolicy(OrganisationAdministrator, policy => policy
            .RequireRole(Roles.Manufacturer, Roles.Consultant)
            .RequireClaim(PortalClaims.OrganisationAdministrator, "true"));
        options.AddPolicy(Ansm, policy => policy
            .RequireRole(Roles.Reviewer, Roles.SeniorReviewer, Roles.Signatory, Roles.Administrator)
            .AddRequirements(new SecondFactorRequirement()));
        options.AddPolicy(Consulted, policy => policy
            .RequireRole([.. Roles.Consultable])
            .AddRequirements(new SecondFactorRequirement()));
        options.AddPolicy(Administrator, policy => policy
            .RequireRole(Roles.Administrator)
            .AddRequirements(new SecondFactorRequirement()));
    }
}

/// <summary>ANSM accounts must have signed in with their authenticator app.</summary>
public sealed class SecondFactorRequirement : IAuthorizationRequirement;

/// <summary>
/// Satisfied by a sign-in that used the second factor; in Development only, and only when
/// Accounts:AllowAnsmWithoutTwoFactor is set, demo ANSM accounts may skip it.
/// </summary>
internal sealed class SecondFactorHandler(IWebHostEnvironment environment, IConfiguration configuration)
    : AuthorizationHandler<SecondFactorRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, SecondFactorRequirement requirement)
    {
        var skipAllowed = environment.IsDevelopment() && configuration.GetValue<bool>("Accounts:AllowAnsmWithoutTwoFactor");
        if (context.User.UsedSecondFactor() || skipAllowed)
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// What a refused request gets. Signed-in users who may not see a page get the plain 404 page, so that
/// guessing addresses reveals nothing; ANSM staff who lack only the second factor are sent to set it up.
/// </summary>
internal sealed class PortalAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        // The API says what a token may not do (403, problem details, from its authentication handler): a client is
        // told its read-only token cannot write, which hides nothing the client does not already know.
        if (authorizeResult.Forbidden && !policy.AuthenticationSchemes.Contains(Derogation.Web.Api.ApiTokenAuthenticationHandler.SchemeName))
        {
            var failed = authorizeResult.AuthorizationFailure?.FailedRequirements.ToList() ?? [];
            if (failed.Count > 0 && failed.All(r => r is SecondFactorRequirement))
            {
                var setUp = context.RequestServices.GetRequiredService<LinkGenerator>().GetPathByPage(
                    "/Compte/DoubleAuthentification", handler: null, values: new { retour = (context.Request.Path + context.Request.QueryString).ToString() });
                context.Response.Redirect(setUp!);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
