using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// Declaring the uses of a granted derogation (year, establishment, number of patients — nothing identifying), against
/// its maximum number of patients when the decision set one.
/// </summary>
public sealed class UtilisationModel(UsageDeclarations usage, DerogationDbContext db, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public Application Application { get; private set; } = null!;

    public UsageSummary Summary { get; private set; } = new(0, null, []);

    [BindProperty]
    public int? Year { get; set; }

    [BindProperty]
    public string? Establishment { get; set; }

    [BindProperty]
    public int? Patients { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    /// <summary>Uses are declared while the derogation is granted; afterwards they are only read.</summary>
    public bool MayDeclare => Application.Status == ApplicationStatus.Granted;

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Year ??= Derogation.Core.FrenchTime.Today(clock).Year;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var (error, findings) = await usage.DeclareAsync(reference, User.AsViewer(), Year, Establishment, Patients);
        switch (error)
        {
            case UsageError.None:
                Confirmation = l["UsageDeclared", Patients!.Value, Year!.Value].Value;
                return RedirectToPage(new { reference });
            case UsageError.NotFound:
                return NotFound();
            case UsageError.Identifying:
                foreach (var finding in findings)
                {
                    ModelState.AddModelError(nameof(Establishment), l["Anon" + finding.Problem, l["UsageEstablishment"], finding.Found]);
                }

                break;
            case UsageError.OverMaximum:
                ModelState.AddModelError(nameof(Patients), l["UsageOverMaximum", Summary.Maximum ?? 0, Summary.Used]);
                break;
            default:
                ModelState.AddModelError(error switch
                {
                    UsageError.YearInvalid => nameof(Year),
                    UsageError.PatientsInvalid => nameof(Patients),
                    _ => nameof(Establishment),
                }, l["UsageError" + error, UsageDeclarations.MaxEstablishmentLength]);
                break;
        }

        return Page();
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (await db.Applications.FindVisibleAsync(reference, User.AsViewer()) is not { Reference: not null } application
            || application.Status is not (ApplicationStatus.Granted or ApplicationStatus.Suspended or ApplicationStatus.Withdrawn or ApplicationStatus.Expired))
        {
            return false;
        }

        Application = application;
        Summary = await usage.SummaryAsync(application.Id);
        return true;
    }
}
