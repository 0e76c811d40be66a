using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>The organisation's drafts and applications, and those filed for it as manufacturer.</summary>
public sealed class IndexModel(DerogationDbContext db, ApplicationDrafts drafts, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed record Row(Guid Id, string? Reference, ApplicationKind Kind, ApplicationStatus Status, string? DeviceName,
        string? Manufacturer, string FiledBy, DateTimeOffset UpdatedAt, DateTimeOffset? SubmittedAt);

    public List<Row> Applications { get; private set; } = [];

    /// <summary>For a manufacturer: drafts begun for it under a mandate no longer in force, which it may take over.</summary>
    public List<Application> Stranded { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Applications = await db.Applications.AsNoTracking()
            .VisibleTo(User.AsViewer())
            .OrderByDescending(a => a.UpdatedAt)
            .Select(a => new Row(a.Id, a.Reference, a.Kind, a.Status, a.DeviceName, a.Manufacturer!.LegalName, a.FilingOrganisation.LegalName, a.UpdatedAt, a.SubmittedAt))
            .ToListAsync();
        Stranded = await drafts.StrandedForAsync(User.AsViewer());
    }

    public async Task<IActionResult> OnPostTakeOverAsync(Guid id)
    {
        if (!await drafts.TakeOverAsync(id, User.AsViewer()))
        {
            return NotFound();
        }

        TempData["Confirmation"] = l["DraftTakenOver"].Value;
        return RedirectToPage("/Demandes/Demande", new { key = id });
    }
}
