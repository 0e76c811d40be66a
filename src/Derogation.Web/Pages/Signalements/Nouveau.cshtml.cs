using Derogation.Core.Incidents;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Signalements;

/// <summary>
/// Reporting an incident, or a risk of incident, with a device used under a derogation: open to prescribers and
/// establishments (who have no account) and to manufacturers. Rate-limited like the account forms.
/// </summary>
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class NouveauModel(IncidentReports reports, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public IncidentInput Input { get; set; } = new();

    [TempData]
    public string? Confirmation { get; set; }

    public void OnGet([FromQuery(Name = "reference")] string? reference) => Input.DerogationReference ??= reference;

    public async Task<IActionResult> OnPostAsync()
    {
        var userId = User.Identity?.IsAuthenticated == true ? User.UserId() : (Guid?)null;
        var (result, report) = await reports.ReportAsync(Input, userId);
        if (report is null)
        {
            result.AddTo(this);
            return Page();
        }

        Confirmation = l["IncidentRecorded", report.Number].Value;
        return RedirectToPage("/Signalements/Nouveau");
    }
}
