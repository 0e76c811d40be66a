using Derogation.Core.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Instruction;

/// <summary>Every incident report, newest first, for ANSM.</summary>
public sealed class SignalementsModel(DerogationDbContext db) : PageModel
{
    public sealed record Row(string Number, string Reference, string? Device, string Manufacturer, bool RiskOnly, bool ConcernsPatient, DateTimeOffset ReportedAt);

    public IReadOnlyList<Row> Reports { get; private set; } = [];

    public async Task OnGetAsync() =>
        Reports = await db.IncidentReports.AsNoTracking().OrderByDescending(r => r.ReportedAt).Take(500)
            .Join(db.Applications, r => r.ApplicationId, a => a.Id, (r, a) => new Row(r.Number, a.Reference!, a.DeviceName, a.Manufacturer!.LegalName, r.RiskOnly, r.ConcernsPatient, r.ReportedAt))
            .ToListAsync();
}
