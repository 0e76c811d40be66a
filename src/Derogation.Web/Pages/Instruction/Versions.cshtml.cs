using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Instruction;

/// <summary>What changed between two versions, field by field (by default the last answer against the version before it).</summary>
public sealed class VersionsModel(DerogationDbContext db, VersionComparison comparison) : PageModel
{
    public Application Application { get; private set; } = null!;

    public int From { get; private set; }

    public int To { get; private set; }

    public IReadOnlyList<int> Available { get; private set; } = [];

    public IReadOnlyList<SectionChanges> Sections { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference, [FromQuery(Name = "de")] int? from, [FromQuery(Name = "a")] int? to)
    {
        var application = await db.Applications.AsNoTracking().FindVisibleAsync(reference, User.AsViewer());
        if (application?.Reference is null || !User.IsAnsmStaff())
        {
            return NotFound();
        }

        var versions = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id).OrderBy(v => v.Version).ToListAsync();
        To = to ?? versions[^1].Version;
        From = from ?? To - 1;
        var before = versions.SingleOrDefault(v => v.Version == From);
        var after = versions.SingleOrDefault(v => v.Version == To);
        if (before is null || after is null || From >= To)
        {
            return NotFound();
        }

        Application = application;
        Available = versions.Select(v => v.Version).ToList();
        Sections = comparison.Compare(application.Kind, before.Answers, after.Answers);
        return Page();
    }
}
