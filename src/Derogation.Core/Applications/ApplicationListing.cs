using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

/// <summary>One line of an organisation's list of applications (the API's list).</summary>
public sealed record ApplicationSummary(Guid Id, string? Reference, ApplicationKind Kind, ApplicationStatus Status, string? DeviceName,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt);

public static class ApplicationListing
{
    /// <summary>
    /// A page of what <paramref name="viewer"/> may see (<see cref="ApplicationAccess"/>), most recently changed first,
    /// optionally of one status; the total is counted only when the page does not tell it already.
    /// </summary>
    public static async Task<(int Total, List<ApplicationSummary> Items)> PageAsync(this IQueryable<Application> applications, Viewer viewer,
        int page, int pageSize, ApplicationStatus? status = null)
    {
        var visible = applications.AsNoTracking().VisibleTo(viewer);
        if (status is { } wanted)
        {
            visible = visible.Where(a => a.Status == wanted);
        }

        var items = await visible
            .OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(a => new ApplicationSummary(a.Id, a.Reference, a.Kind, a.Status, a.DeviceName, a.CreatedAt, a.UpdatedAt, a.SubmittedAt))
            .ToListAsync();
        var total = page == 1 && items.Count < pageSize ? items.Count : await visible.CountAsync();
        return (total, items);
    }
}
