using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

/// <summary>Who is looking: their organisation and whether they are ANSM staff.</summary>
public sealed record Viewer(Guid UserId, Guid OrganisationId, OrganisationKind OrganisationKind);

/// <summary>
/// Who sees which application (docs/domain.md §2), as a query filter: every page that reads applications goes
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
        // A consultancy, importer or distributor sees what it filed (drafts included) — and nothing else, mandate or not.
        OrganisationKind.Consultancy or OrganisationKind.Importer or OrganisationKind.Distributor => applications.Where(a => a.FilingOrganisationId == viewer.OrganisationId),
        _ => applications.Where(_ => false),
    };

    /// <summary>
    /// The application an address names, when the viewer may see it: by its reference (DIV-2026-00042, any case),
    /// or by its id while it is a draft (drafts have no reference). Null otherwise — shown as 404.
    /// </summary>
    public static Task<Application?> FindVisibleAsync(this IQueryable<Application> applications, string key, Viewer viewer)
    {
        var visible = applications.VisibleTo(viewer);
        return Guid.TryParse(key, out var id)
            ? visible.SingleOrDefaultAsync(a => a.Id == id && a.Reference == null)
            : visible.SingleOrDefaultAsync(a => a.Reference == key.ToUpperInvariant());
    }
}
