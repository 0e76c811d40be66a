using Derogation.Core;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The case file: every section as submitted (the latest version), the documents, the parties, the versions and
/// the history. Reviewers read; nothing here edits what the applicant submitted.
/// </summary>
public sealed class DossierModel(
    DerogationDbContext db, DocumentStore store, AnswersPresenter presenter, Derogation.Core.Review.InformationRequests requests, Proposals proposals,
    Derogation.Core.Review.InternalNotes notes, UsageDeclarations usage, EarlierApplications earlier, Assessments assessments, ExpertOpinions opinions, CaseMessages threads, EuNotifications euNotifications, TimeProvider clock, Microsoft.Extensions.Localization.IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Why the reviewer cancels the open information request (shown to the applicant).</summary>
    [BindProperty]
    public string? CancelReason { get; set; }

    /// <summary>The proposal not yet signed, with its author's and addressee's names.</summary>
    public (Proposal Proposal, string? ProposedBy, string? AddressedTo)? Open { get; private set; }

    /// <summary>Signed rectifications, oldest first.</summary>
    public IReadOnlyList<Proposal> Rectifications { get; private set; } = [];

    /// <summary>May the signed-in user prepare proposals here: the holder, or a senior reviewer (the service checks again).</summary>
    public bool MayPropose => User.IsInRole(Derogation.Core.Organisations.Roles.SeniorReviewer)
                              || (User.IsReviewer() && Application.AssignedReviewerId == User.UserId());

    public DateOnly Today => FrenchTime.Today(clock);

    [BindProperty]
    public string? Note { get; set; }

    public IReadOnlyList<(Derogation.Core.Review.InternalNote Note, string? Author)> Notes { get; private set; } = [];

    public Derogation.Core.Review.Decision? Decision { get; private set; }

    public Application Application { get; private set; } = null!;

    public ApplicationVersion Version { get; private set; } = null!;

    public IReadOnlyList<ApplicationVersion> Versions { get; private set; } = [];

    public IReadOnlyList<(WizardStep Step, IReadOnlyList<(string Label, string Value)> Answers)> Sections { get; private set; } = [];

    public IReadOnlyList<(AuditEvent Event, string? Actor)> History { get; private set; } = [];

    public string? Holder { get; private set; }

    public IReadOnlyList<Derogation.Core.Review.InformationRequest> Requests { get; private set; } = [];

    public IReadOnlyList<Derogation.Core.Review.GrantMeasure> Measures { get; private set; } = [];

    public IReadOnlyList<Derogation.Core.Incidents.IncidentReport> Incidents { get; private set; } = [];

    public IReadOnlyList<Derogation.Core.Review.AnnualRecap> Recaps { get; private set; } = [];

    /// <summary>The recap of the period ending now asks for twelve more months, not yet granted.</summary>
    public bool ExtensionPending { get; private set; }

    /// <summary>Every message the portal sent (or is sending) about the application.</summary>
    public IReadOnlyList<Derogation.Core.Notifications.OutboxMessage> Messages { get; private set; } = [];

    /// <summary>For a grant: the uses declared, against the maximum when the decision set one.</summary>
    public UsageSummary? Usage { get; private set; }

    /// <summary>Messages from the applicant's side not yet read at ANSM.</summary>
    public int UnreadMessages { get; private set; }

    /// <summary>Opinions asked of other ANSM users, oldest first.</summary>
    public IReadOnlyList<(ExpertOpinion Opinion, string? Expert, string? RequestedBy)> Opinions { get; private set; } = [];

    /// <summary>The assessment grid, one entry per applicable criterion (empty ones included).</summary>
    public IReadOnlyList<AssessmentEntry> Assessment { get; private set; } = [];

    /// <summary>Earlier applications for the same device or from the same manufacturer, newest first.</summary>
    public IReadOnlyList<EarlierApplication> Earlier { get; private set; } = [];

    /// <summary>A global derogation's grant and measures to notify to the Commission and the member states.</summary>
    public IReadOnlyList<EuNotificationItem> EuItems { get; private set; } = [];

    public bool IsSeniorReviewer => User.IsInRole(Derogation.Core.Organisations.Roles.SeniorReviewer);

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Sections = WizardSteps.For(Application.Kind).Select(step => (step, presenter.Describe(step.Section(Version.Answers)))).ToList();
        var id = Application.Id.ToString();
        History = (await db.AuditEvents.AsNoTracking().Where(e => e.SubjectType == nameof(Application) && e.SubjectId == id).OrderBy(e => e.Id)
                .Select(e => new { Event = e, Actor = db.Users.Where(u => u.Id == e.ActorUserId).Select(u => u.FullName).FirstOrDefault() })
                .ToListAsync())
            .Select(h => (h.Event, h.Actor)).ToList();
        Holder = await db.Users.Where(u => u.Id == Application.AssignedReviewerId).Select(u => u.FullName).SingleOrDefaultAsync();
        Decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == Application.Id);
        Requests = await requests.AllAsync(Application.Id);
        Incidents = await db.IncidentReports.AsNoTracking().Where(r => r.ApplicationId == Application.Id).OrderByDescending(r => r.ReportedAt).ToListAsync();
        Recaps = await db.AnnualRecaps.AsNoTracking().Where(r => r.ApplicationId == Application.Id).OrderByDescending(r => r.PeriodEnd).ToListAsync();
        var validUntil = Recaps.Count == 0 ? null : await db.CurrentValidUntilAsync(Application.Id);
        ExtensionPending = Application.Status == ApplicationStatus.Granted && Recaps.Any(r => r.PeriodEnd == validUntil && r.ExtensionRequested);
        if (await proposals.OpenAsync(Application.Id) is { } open)
        {
            var names = await db.Users.AsNoTracking().Where(u => u.Id == open.ProposedByUserId || u.Id == open.SignatoryUserId).Select(u => new { u.Id, u.FullName }).ToListAsync();
            Open = (open, names.FirstOrDefault(n => n.Id == open.ProposedByUserId)?.FullName, names.FirstOrDefault(n => n.Id == open.SignatoryUserId)?.FullName);
        }

        Rectifications = await proposals.RectificationsAsync(Application.Id);
        Usage = Decision?.Outcome == DecisionOutcome.Grant ? await usage.SummaryAsync(Application.Id) : null;
        Measures = await db.GrantMeasures.AsNoTracking().Where(m => m.ApplicationId == Application.Id).OrderBy(m => m.DecidedAt).ToListAsync();
        Earlier = await earlier.ForAsync(Application, Version.Answers.Device);
        EuItems = Application.Kind == ApplicationKind.Global ? await euNotifications.ListAsync(Application.Id) : [];
        Assessment = await assessments.ReadAsync(Application.Id, Application.Kind);
        Opinions = await opinions.ForCaseAsync(Application.Id);
        UnreadMessages = await threads.UnreadAsync(Application.Id, readerIsAnsm: true);
        Messages = await db.OutboxMessages.AsNoTracking().Where(m => m.ApplicationId == Application.Id).OrderBy(m => m.CreatedAt).ToListAsync();
        Notes = (await db.InternalNotes.AsNoTracking().Where(n => n.ApplicationId == Application.Id).OrderBy(n => n.CreatedAt)
                .Select(n => new { Note = n, Author = db.Users.Where(u => u.Id == n.AuthorUserId).Select(u => u.FullName).FirstOrDefault() })
                .ToListAsync())
            .Select(n => (n.Note, n.Author)).ToList();
        return Page();
    }

    /// <summary>An internal note: ANSM only, never shown to the applicant.</summary>
    public async Task<IActionResult> OnPostNoteAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var error = await notes.AddAsync(Application.Id, User.UserId(), Note);
        if (error != Derogation.Core.Review.NoteError.None)
        {
            ModelState.AddModelError(nameof(Note), error == Derogation.Core.Review.NoteError.Required ? l["NoteRequired"] : l["TooLong", Derogation.Core.Review.InternalNotes.MaxLength]);
            return await OnGetAsync(reference);
        }

        return RedirectToPage("/Instruction/Dossier", null, new { reference = Application.Reference }, "notes");
    }

    /// <summary>The holder (or a senior reviewer) cancels the open information request, with a reason the applicant reads.</summary>
    public async Task<IActionResult> OnPostCancelRequestAsync(string reference)
    {
        if (!await LoadAsync(reference) || !User.IsReviewer())
        {
            return NotFound();
        }

        var error = await requests.CancelAsync(Application.Reference!, CancelReason, User.UserId());
        if (error == CancelRequestError.None)
        {
            TempData["Message"] = l["InformationRequestCancelled"].Value;
            return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
        }

        ModelState.AddModelError(nameof(CancelReason), l["CancelRequestError" + error]);
        return await OnGetAsync(reference);
    }

    /// <summary>Any letter the portal issued for this application (the decision's, the measures'), as stored.</summary>
    public async Task<IActionResult> OnGetIssuedAsync(string reference, Guid document)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var issued = await db.IssuedDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == Application.Id && d.Id == document);
        return issued is null ? NotFound() : File(issued.Content, "application/pdf", issued.FileName);
    }

    /// <summary>The assessment grid as a PDF, for the file (ANSM internal).</summary>
    public async Task<IActionResult> OnGetAssessmentPdfAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var sheet = await assessments.SheetAsync(Application, Application.Manufacturer?.LegalName);
        return File(Derogation.Core.Letters.AssessmentGridPdf.Render(sheet), "application/pdf", $"grille-evaluation-{Application.Reference}.pdf");
    }

    /// <summary>A document of any submitted version, a file attached to a request for information, or an expert's file.</summary>
    public async Task<IActionResult> OnGetDocumentAsync(string reference, Guid document)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var file = Versions.SelectMany(v => v.Answers.Documents).FirstOrDefault(d => d.Id == document)
                   ?? await requests.AttachmentAsync(Application.Id, document)
                   ?? (await opinions.ForCaseAsync(Application.Id)).Select(o => o.Opinion.AnswerAttachment).FirstOrDefault(a => a?.Id == document);
        if (file is null)
        {
            return NotFound();
        }

        return await DocumentDownload.SendAsync(Response, store, Application.Id, file);
    }

    /// <summary>How the filer holds its mandate: a letter ANSM verified, or a grant in the portal; since when, until when.</summary>
    public sealed record MandateSummary(bool ByLetter, DateTimeOffset Since, DateOnly From, DateOnly? Until, string? Scope);

    public MandateSummary? Mandate { get; private set; }

    private async Task<bool> LoadAsync(string reference)
    {
        var application = await db.Applications.AsNoTracking()
            .Include(a => a.Manufacturer).Include(a => a.FilingOrganisation).Include(a => a.Extends)
            .FindVisibleAsync(reference, User.AsViewer());
        if (application is null)
        {
            return false;
        }

        Application = application;
        // The mandate filed under, without its letter's bytes (the letter is among the documents).
        Mandate = application.MandateId is { } mandateId
            ? await db.Mandates.AsNoTracking().Where(m => m.Id == mandateId)
                .Select(m => new MandateSummary(m.LetterFileName != null, m.DecidedAt ?? m.CreatedAt, m.ValidFrom, m.ValidUntil, m.Scope)).SingleAsync()
            : null;
        Versions = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id).OrderByDescending(v => v.Version).ToListAsync();
        Version = Versions[0];
        return true;
    }
}
