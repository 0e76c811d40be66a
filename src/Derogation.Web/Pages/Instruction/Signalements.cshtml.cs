using Derogation.Core.Data;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Instruction;

/// <summary>Every incident report, newest first, for ANSM.</summary>
public sealed class SignalementsModel(DerogationDbContext db) : PageModel
{
    /// <summary><paramref name="Matched"/>: a derogation was granted under the reference the reporter gave.</summary>
    public sealed record Row(string Number, string Reference, string? Device, string? Manufacturer, bool RiskOnly, bool ConcernsPatient, DateTimeOffset ReportedAt, bool Matched);

    public IReadOnlyList<Row> Reports { get; private set; } = [];

    public async Task OnGetAsync() =>
        Reports = await (
                from r in db.IncidentReports.AsNoTracking()
                join a in db.Applications on r.ApplicationId equals a.Id into linked
                from a in linked.DefaultIfEmpty()
                orderby r.ReportedAt descending
                select new Row(r.Number, r.DeclaredReference, a == null ? null : a.DeviceName, a == null ? null : a.Manufacturer!.LegalName,
                    r.RiskOnly, r.ConcernsPatient, r.ReportedAt, a != null))
            .Take(500).ToListAsync();
}
