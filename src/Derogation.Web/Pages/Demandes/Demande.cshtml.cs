using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// One application, found by its reference (DIV-2026-00042) or, for a draft, its id. Anything the user may not
/// see is "not found", exactly like an address that does not exist.
/// </summary>
public sealed class DemandeModel(DerogationDbContext db, RuleContext rules) : PageModel
{
    public Application Application { get; private set; } = null!;

    /// <summary>Where a draft resumes: its first incomplete step, or the summary.</summary>
    public string ResumeSlug => WizardSteps.FirstIncomplete(Application.Kind, Application.Answers, rules)?.Slug ?? WizardSteps.Summary;

    public async Task<IActionResult> OnGetAsync(string key)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).Include(a => a.FilingOrganisation).Include(a => a.Extends)
            .FindVisibleAsync(key, User.AsViewer());
        if (application is null)
        {
            return NotFound();
        }

        Application = application;
        return Page();
    }
}
