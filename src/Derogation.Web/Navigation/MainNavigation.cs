using System.Security.Claims;
using Derogation.Core.Organisations;

namespace Derogation.Web.Navigation;

/// <summary>The header's main navigation: what each role works with, in the order they use it.</summary>
public static class MainNavigation
{
    public static IReadOnlyList<NavigationItem> For(ClaimsPrincipal user)
    {
        var items = new List<NavigationItem> { new("NavHome", "/Index") };
        if (user.IsInRole(Roles.Manufacturer) || user.IsInRole(Roles.Consultant))
        {
            items.Add(new("NavMyApplications", "/Demandes/Index"));
            // A new application starts with the check that a derogation is the route (then the start page).
            items.Add(new("NavNewIndividual", "/Demandes/Eligibilite", new { kind = "individuelle" }));
            items.Add(new("NavNewGlobal", "/Demandes/Eligibilite", new { kind = "globale" }));
            items.Add(new("NavMandates", "/Mandats/Index"));
            if (user.HasClaim(Accounts.PortalClaims.OrganisationAdministrator, "true"))
            {
                items.Add(new("NavMembers", "/Organisation/Membres"));
                items.Add(new("NavVerification", "/Organisation/Verification"));
            }
        }

        if (Accounts.PortalClaims.IsReviewer(user) || user.IsInRole(Roles.Signatory))
        {
            items.Add(new("NavReviewQueue", "/Instruction/Index"));
        }

        if (user.IsInRole(Roles.Signatory))
        {
            items.Add(new("NavSignatures", "/Instruction/Signatures"));
        }

        if (Roles.Consultable.Any(user.IsInRole))
        {
            items.Add(new("NavOpinions", "/Avis/Index"));
        }

        if (user.IsInRole(Roles.Administrator))
        {
            items.Add(new("NavAdministration", "/Admin/Index"));
        }

        items.Add(new("NavPublicRegister", "/DerogationsGlobales"));
        if (!Accounts.PortalClaims.IsAnsmStaff(user))
        {
            // Prescribers and establishments (no account) and manufacturers report incidents; ANSM reads them.
            items.Add(new("NavIncidentReport", "/Signalements/Nouveau"));
        }
        return items;
    }
}

/// <param name="LabelKey">A key of SharedResource.</param>
/// <param name="Page">The Razor page it opens; the layout generates its address from the page's route.</param>
public sealed record NavigationItem(string LabelKey, string Page, object? Values = null);
