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
public sealed class DemandeModel(
    DerogationDbContext db, RuleContext rules, Derogation.Core.Review.InformationRequests requests, Derogation.Core.Review.AnnualRecaps recaps,
    Derogation.Core.Review.Proposals proposals, Derogation.Core.Review.CaseMessages threads, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Messages from ANSM not yet read on the applicant's side.</summary>
    public int UnreadMessages { get; private set; }

    /// <summary>Signed rectifying decisions, in order (a proposal not yet signed is never shown here).</summary>
    public IReadOnlyList<Derogation.Core.Review.Proposal> Rectifications { get; private set; } = [];

    public Application Application { get; private set; } = null!;

    /// <summary>Suspensions, reinstatements and withdrawals of the derogation, in order.</summary>
    public IReadOnlyList<Derogation.Core.Review.GrantMeasure> Measures { get; private set; } = [];

    /// <summary>Incidents reported with the device under this derogation (shown to the manufacturer and the applicant).</summary>
    public IReadOnlyList<Derogation.Core.Incidents.IncidentReport> Incidents { get; private set; } = [];

    /// <summary>For a granted annual prosthesis derogation: the anniversary the next recap closes.</summary>
    public DateOnly? RecapPeriodEnd { get; private set; }

    /// <summary>ANSM's decision, once taken.</summary>
    public Derogation.Core.Review.Decision? Decision { get; private set; }

    /// <summary>The versions ANSM received (1 at submission, one more per answer), each readable as sent.</summary>
    public IReadOnlyList<VersionShown> Versions { get; private set; } = [];

    public sealed record VersionShown(int Version, DateTimeOffset CreatedAt);

    /// <summary>ANSM's requests for information, newest first.</summary>
    public IReadOnlyList<Derogation.Core.Review.InformationRequest> Requests { get; private set; } = [];

    /// <summary>Only the organisation that filed answers ANSM's questions; the manufacturer reads them.</summary>
    public bool CanAnswer => (Application.Status == ApplicationStatus.InformationRequested || Requests.Any(r => r.IsOpen && r.AfterDecision))
                             && Application.FilingOrganisationId == User.AsViewer().OrganisationId;

    /// <summary>Where a draft resumes: its first incomplete step, or the summary.</summary>
    /// <summary>Where a draft resumes: its first step not yet complete, or its summary.</summary>
    public WizardStep? ResumeStep => WizardSteps.FirstIncomplete(Application.Kind, Application.Answers, rules);

    public async Task<IActionResult> OnGetAsync(string key)
    {
        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).Include(a => a.FilingOrganisation).Include(a => a.Extends)
            .FindVisibleAsync(key, User.AsViewer());
        if (application is null)
        {
            return NotFound();
        }

        Application = application;
        Decision = application.Reference is null ? null : await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == application.Id);
        Measures = await db.GrantMeasures.AsNoTracking().Where(m => m.ApplicationId == application.Id).OrderBy(m => m.DecidedAt).ToListAsync();
        Rectifications = await proposals.RectificationsAsync(application.Id);
        RecapPeriodEnd = application.Reference is null ? null : (await recaps.OpenAsync(application.Reference, User.AsViewer()))?.PeriodEnd;
        Incidents = await db.IncidentReports.AsNoTracking().Where(r => r.ApplicationId == application.Id).OrderByDescending(r => r.ReportedAt).ToListAsync();
        Requests = application.Reference is null ? [] : (await requests.AllAsync(application.Id)).Reverse().ToList();
        UnreadMessages = application.Reference is null ? 0 : await threads.UnreadAsync(application.Id, readerIsAnsm: false);
        Versions = application.Reference is null ? []
            : await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id).OrderBy(v => v.Version)
                .Select(v => new VersionShown(v.Version, v.CreatedAt)).ToListAsync();
        return Page();
    }

    /// <summary>Whether the viewer's organisation may start a new individual application from this one (it filed it).</summary>
    public bool CanCopy => Application.Kind == ApplicationKind.Individual && Application.Reference is not null
                           && Application.FilingOrganisationId == User.AsViewer().OrganisationId;

    /// <summary>"Copier cette demande": a new draft from this application, nothing about the patient (rules in ApplicationDrafts).</summary>
    public async Task<IActionResult> OnPostCopyAsync(string key, [FromServices] ApplicationDrafts drafts)
    {
        var (error, draft) = await drafts.CreateCopyAsync(key, User.AsViewer());
        switch (error)
        {
            case DraftError.None:
                TempData["Confirmation"] = l["CopyApplicationDone", key.ToUpperInvariant()].Value;
                return RedirectToPage(Etapes.StepPages.Of(WizardSteps.For(ApplicationKind.Individual)[0]), new { id = draft!.Id });
            case DraftError.NoMandateInForce:
                TempData["Confirmation"] = l["MandateNoLongerInForce", ""].Value;
                return RedirectToPage("/Demandes/Demande", new { key });
            default:
                return NotFound();
        }
    }

    /// <summary>A letter the portal issued for this application (a measure's letter), as stored.</summary>
    public async Task<IActionResult> OnGetIssuedAsync(string key, Guid document)
    {
        var application = await db.Applications.AsNoTracking().FindVisibleAsync(key, User.AsViewer());
        var issued = application is null ? null : await db.IssuedDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == application.Id && d.Id == document);
        return issued is null ? NotFound() : File(issued.Content, "application/pdf", issued.FileName);
    }
}
