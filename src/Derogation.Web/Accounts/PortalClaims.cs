using System.Security.Claims;
using Derogation.Core.Organisations;

namespace Derogation.Web.Accounts;

/// <summary>What the authentication cookie says about the signed-in user, beyond Identity's own claims.</summary>
public static class PortalClaims
{
    public const string OrganisationId = "organisation";
    public const string OrganisationKind = "organisation_kind";
    public const string OrganisationAdministrator = "organisation_admin";
    public const string FullName = "full_name";
    /// <summary>Authentication method reference; "mfa" once the second factor was presented (set by Identity).</summary>
    public const string AuthenticationMethod = "amr";

    public static Guid UserId(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(ClaimTypes.NameIdentifier)!);

    public static Guid OrganisationIdOf(this ClaimsPrincipal user) => Guid.Parse(user.FindFirstValue(OrganisationId)!);

    public static bool IsOrganisationAdministrator(this ClaimsPrincipal user) => user.HasClaim(OrganisationAdministrator, "true");

    public static bool IsAnsmStaff(this ClaimsPrincipal user) =>
        user.IsReviewer() || user.IsInRole(Roles.Signatory) || user.IsInRole(Roles.Administrator) || user.IsInRole(Roles.Expert);

    /// <summary>Reviews applications: a reviewer or a senior reviewer.</summary>
    public static bool IsReviewer(this ClaimsPrincipal user) => Roles.Reviewing.Any(user.IsInRole);

    /// <summary>The signed-in user as the application access rule sees them.</summary>
    public static Derogation.Core.Applications.Viewer AsViewer(this ClaimsPrincipal user) => new(
        user.UserId(), user.OrganisationIdOf(), Enum.Parse<Derogation.Core.Organisations.OrganisationKind>(user.FindFirstValue(OrganisationKind)!));

    public static bool UsedSecondFactor(this ClaimsPrincipal user) => user.HasClaim(AuthenticationMethod, "mfa");
}
