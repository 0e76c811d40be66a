using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

/// <summary>One line of an organisation's list of applications (the API's list).</summary>
public sealed record ApplicationSummary(Guid Id, string? Reference, ApplicationKind Kind, ApplicationStatus Status, string? DeviceName,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt);

public static class ApplicationListing
{
    /// <summary>
    /// A page of what <paramref name="viewer"/> may see (<see cref="ApplicationAccess"/>), most recently changed first,
    /// optionally of one status, with the total — in one statement (the count a sub-query PostgreSQL runs once):
    /// one round trip where counting apart made two (docs/performance.md, "The API's list in one statement"). A page
    /// past the end has no row to carry the total: then it is counted on its own.
    /// </summary>
    public static async Task<(int Total, List<ApplicationSummary> Items)> PageAsync(this DerogationDbContext db, Viewer viewer,
        int page, int pageSize, ApplicationStatus? status = null)
    {
        // ApplicationAccess.VisibleTo, in SQL (ApplicationVisibilityTests compares the two for every kind of viewer).
        // One statement text per kind, never a parameter deciding the kind: a prepared statement's generic plan
        // could not use the organisation's indexes for a condition that depends on a parameter's value.
        var parameters = new List<object>();
        string Parameter(object value)
        {
            parameters.Add(value);
            return $"{{{parameters.Count - 1}}}";
        }

        var organisation = viewer.OrganisationId;
        var visible = viewer.OrganisationKind switch
        {
            OrganisationKind.Ansm => "a.status <> 'Draft'",
            OrganisationKind.Manufacturer =>
                $"(a.filing_organisation_id = {Parameter(organisation)} OR (a.manufacturer_id = {Parameter(organisation)} AND a.status <> 'Draft'))",
            _ when viewer.OrganisationKind.FilesUnderMandate() => $"a.filing_organisation_id = {Parameter(organisation)}",
            _ => null,
        };
        if (visible is null)
        {
            return (0, []);
        }

        if (status is { } wanted)
        {
            visible += $" AND a.status = {Parameter(wanted.ToString())}";
        }

        var filter = parameters.ToArray();
        // The statement's text is made of the constants above only; every value is a parameter ({0}, {1}…). The offset
        // is a long: a page number near int.MaxValue times the page size overflows an int (a negative OFFSET, a 500).
#pragma warning disable EF1002, EF1003
        var rows = await db.Database.SqlQueryRaw<PageRow>(
            "SELECT a.id, a.reference, a.kind, a.status, a.device_name, a.created_at, a.updated_at, a.submitted_at, " +
            $"(SELECT count(*)::int FROM applications a WHERE {visible}) AS total " +
            $"FROM applications a WHERE {visible} ORDER BY a.updated_at DESC, a.id OFFSET {Parameter((long)(page - 1) * pageSize)} LIMIT {Parameter(pageSize)}",
            [.. parameters]).ToListAsync();
        var items = rows.Select(r => new ApplicationSummary(r.Id, r.Reference, Enum.Parse<ApplicationKind>(r.Kind), Enum.Parse<ApplicationStatus>(r.Status),
            r.DeviceName, r.CreatedAt, r.UpdatedAt, r.SubmittedAt)).ToList();
        var total = rows.Count > 0 ? rows[0].Total
            : await db.Database.SqlQueryRaw<int>($"SELECT count(*)::int AS \"Value\" FROM applications a WHERE {visible}", filter).SingleAsync();
#pragma warning restore EF1002, EF1003
        return (total, items);
    }

    private sealed record PageRow(Guid Id, string? Reference, string Kind, string Status, string? DeviceName,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt, int Total);
}
