using Derogation.Core.Organisations;

namespace Derogation.Core.Applications;

/// <summary>Who is looking: their organisation and whether they are ANSM staff.</summary>
public sealed record Viewer(Guid UserId, Guid OrganisationId, OrganisationKind OrganisationKind);

/// <summary>
/// Who sees which application (DOMAIN.md §2), as a query filter: every page that reads applications goes
/// through it, so the rule holds whatever page attribute is (or is not) there.
/// </summary>
public static class ApplicationAccess
{
    public static IQueryable<Application> VisibleTo(this IQueryable<Application> applications, Viewer viewer) => viewer.OrganisationKind switch
    {
        // ANSM sees what was submitted, never drafts.
        OrganisationKind.Ansm => applications.Where(a => a.Status != ApplicationStatus.Draft),
        // A manufacturer sees what it files, and what is filed for it from submission on.
        OrganisationKind.Manufacturer => applications.Where(a =>
            a.FilingOrganisationId == viewer.OrganisationId
            || (a.ManufacturerId == viewer.OrganisationId && a.Status != ApplicationStatus.Draft)),
        // A consultancy sees what it filed (drafts included) — and nothing else, mandate or not.
        OrganisationKind.Consultancy => applications.Where(a => a.FilingOrganisationId == viewer.OrganisationId),
        _ => applications.Where(_ => false),
    };
}
