using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// A submitted version of an application as ANSM received it — version 1 at submission, the next with each answer —
/// for the organisation that filed it and the manufacturer, with the same presenter as the reviewer's case file and
/// its documents to download. Nobody else finds it (the same visibility rule as the application's page).
/// </summary>
public sealed class VersionModel(DerogationDbContext db, AnswersPresenter presenter) : PageModel
{
    public Application Application { get; private set; } = null!;

    public ApplicationVersion Version { get; private set; } = null!;

    public IReadOnlyList<int> Versions { get; private set; } = [];

    public IReadOnlyList<(WizardStep Step, IReadOnlyList<(string Label, string Value)> Answers)> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, int number)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).FindVisibleAsync(reference, User.AsViewer());
        if (application?.Reference is null)
        {
            return NotFound();
        }

        var version = await db.ApplicationVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ApplicationId == application.Id && v.Version == number);
        if (version is null)
        {
            return NotFound();
        }

        Application = application;
        Version = version;
        Versions = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).OrderBy(v => v.Version).Select(v => v.Version).ToListAsync();
        Sections = WizardSteps.For(application.Kind).Where(step => step.Name != StepNames.Documents)
            .Select(step => (step, presenter.Describe(step.Section(version.Answers)))).ToList();
        return Page();
    }
}
