using System.Security.Claims;
using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Derogation.Web.Accounts;

/// <summary>Adds the user's organisation, its kind and the member-administrator flag to the cookie.</summary>
internal sealed class PortalClaimsFactory(
    UserManager<PortalUser> users, RoleManager<IdentityRole<Guid>> roles, IOptions<IdentityOptions> options, DerogationDbContext db)
    : UserClaimsPrincipalFactory<PortalUser, IdentityRole<Guid>>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        var kind = await db.Organisations.Where(o => o.Id == user.OrganisationId).Select(o => o.Kind).SingleAsync();
        identity.AddClaim(new Claim(PortalClaims.OrganisationId, user.OrganisationId.ToString()));
        identity.AddClaim(new Claim(PortalClaims.OrganisationKind, kind.ToString()));
        identity.AddClaim(new Claim(PortalClaims.FullName, user.FullName));
        if (user.IsOrganisationAdministrator)
        {
            identity.AddClaim(new Claim(PortalClaims.OrganisationAdministrator, "true"));
        }

        return identity;
    }
}
