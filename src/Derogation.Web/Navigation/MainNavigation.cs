using System.Security.Claims;
using Derogation.Core.Organisations;

namespace Derogation.Web.Navigation;

/// <summary>The header's main navigation: what each role works with, in the order they use it.</summary>
public static class MainNavigation
{
    public static IReadOnlyList<NavigationItem> For(ClaimsPrincipal user)
    {
        var items = new List<NavigationItem> { new("NavHome", "/") };
        if (user.IsInRole(Roles.Manufacturer) || user.IsInRole(Roles.Consultant))
        {
            items.Add(new("NavMyApplications", "/demandes"));
            items.Add(new("NavNewIndividual", "/demandes/individuelle/nouvelle"));
            items.Add(new("NavNewGlobal", "/demandes/globale/nouvelle"));
            items.Add(new("NavMandates", "/mandats"));
            if (user.HasClaim(Accounts.PortalClaims.OrganisationAdministrator, "true"))
            {
                items.Add(new("NavMembers", "/organisation/membres"));
                items.Add(new("NavVerification", "/organisation/verification"));
            }
        }

        if (Accounts.PortalClaims.IsReviewer(user) || user.IsInRole(Roles.Signatory))
        {
            items.Add(new("NavReviewQueue", "/instruction"));
        }

        if (user.IsInRole(Roles.Signatory))
        {
            items.Add(new("NavSignatures", "/instruction/signatures"));
        }

        if (user.IsInRole(Roles.Administrator))
        {
            items.Add(new("NavAdministration", "/admin"));
        }

        items.Add(new("NavPublicRegister", "/derogations-globales"));
        if (!Accounts.PortalClaims.IsAnsmStaff(user))
        {
            // Prescribers and establishments (no account) and manufacturers report incidents; ANSM reads them.
            items.Add(new("NavIncidentReport", "/signalements/nouveau"));
        }
        return items;
    }
}

/// <param name="LabelKey">A key of SharedResource.</param>
public sealed record NavigationItem(string LabelKey, string Path);
