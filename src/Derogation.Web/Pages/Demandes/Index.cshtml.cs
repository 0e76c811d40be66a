using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>The organisation's drafts and applications, and those filed for it as manufacturer.</summary>
public sealed class IndexModel(DerogationDbContext db) : PageModel
{
    public sealed record Row(Guid Id, string? Reference, ApplicationKind Kind, ApplicationStatus Status, string? DeviceName,
        string? Manufacturer, string FiledBy, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt);

    public List<Row> Applications { get; private set; } = [];

    public async Task OnGetAsync() => Applications = await db.Applications.AsNoTracking()
        .VisibleTo(User.AsViewer())
        .OrderByDescending(a => a.UpdatedAt)
        .Select(a => new Row(a.Id, a.Reference, a.Kind, a.Status, a.DeviceName, a.Manufacturer!.LegalName, a.FilingOrganisation.LegalName, a.UpdatedAt, a.SubmittedAt))
        .ToListAsync();
}
