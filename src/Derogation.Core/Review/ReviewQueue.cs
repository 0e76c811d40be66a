using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum QueueTab
{
    ToTake,
    Mine,
    Waiting,
    Decided,
    All,
}

public sealed record QueueFilter(
    QueueTab Tab = QueueTab.ToTake,
    ApplicationKind? Kind = null,
    LegalBasis? LegalBasis = null,
    Urgency? Urgency = null,
    ApplicationStatus? Status = null,
    string? Search = null,
    int Page = 1);

public sealed record QueueRow(
    Guid Id, string Reference, ApplicationKind Kind, string? Device, string Manufacturer, Urgency? Urgency, ApplicationStatus Status,
    DateTimeOffset SubmittedAt, DateOnly? TargetDate, string? Holder, bool AwaitingSignature = false, bool DeadlinePassed = false,
    bool Unverified = false, DateTimeOffset? ClockStoppedSince = null)
{
    /// <summary>The target as it stands today: while the clock is stopped, it moves on day by day (the answer fixes it).</summary>
    public DateOnly? ShownTarget(DateOnly today) => ClockStop.ShownTarget(TargetDate, ClockStoppedSince, today);
}

/// <summary>
/// The regulatory clock stops while information is requested during the review: the target date moves on by the
/// calendar days waited (fixed on the application when the answer comes or the request is cancelled). Until then the
/// pages show it moving, so that a stopped case never shows as late.
/// </summary>
public static class ClockStop
{
    /// <summary>Seconds the clock was stopped before <paramref name="decidedAt"/>: each request from its sending to its answer, its cancellation or the decision.</summary>
    public static double StoppedSeconds(IEnumerable<InformationRequest> requests, DateTimeOffset decidedAt) =>
        requests.Where(r => !r.AfterDecision && r.RequestedAt < decidedAt)
            .Sum(r => ((r.AnsweredAt ?? r.CancelledAt ?? decidedAt) < decidedAt ? (r.AnsweredAt ?? r.CancelledAt ?? decidedAt) : decidedAt).Subtract(r.RequestedAt).TotalSeconds);

    public static DateOnly? ShownTarget(DateOnly? target, DateTimeOffset? stoppedSince, DateOnly today) =>
        target is { } date && stoppedSince is { } since
            ? date.AddDays(Math.Max(0, today.DayNumber - DateOnly.FromDateTime(FrenchTime.InParis(since).DateTime).DayNumber))
            : target;
}

/// <summary>A queue row as exported: the screen's columns and when the application was taken and decided.</summary>
public sealed record ExportRow(QueueRow Row, DateTimeOffset? TakenAt, DateTimeOffset? DecidedAt);

public sealed record QueuePage(IReadOnlyList<QueueRow> Rows, int Total, int Page, int PageSize);

public enum TakeOutcome
{
    Taken,
    AlreadyTaken,
    NotFound,
}

public enum AssignOutcome
{
    Assigned,
    NotFound,
    /// <summary>Decided or withdrawn: there is nothing left to review.</summary>
    NotOpen,
    NotAReviewer,
    AlreadyHolds,
}

/// <summary>
/// The reviewers' queue: submitted applications (never drafts), by tab and filters, sorted by target date,
/// paged. Reading it is one indexed query; taking an application is one transaction with its audit event.
/// </summary>
public sealed class ReviewQueue(DerogationDbContext db, TimeProvider clock)
{
    public const int PageSize = 25;

    private static readonly ApplicationStatus[] Open = [ApplicationStatus.Submitted, ApplicationStatus.UnderReview, ApplicationStatus.InformationRequested];
    /// <summary>Decided by ANSM, including what became of a grant since (suspended, withdrawn, expired).</summary>
    private static readonly ApplicationStatus[] Decided =
    [
        ApplicationStatus.Granted, ApplicationStatus.Refused, ApplicationStatus.Closed, ApplicationStatus.Suspended, ApplicationStatus.Withdrawn, ApplicationStatus.Expired,
    ];

    public async Task<QueuePage> ReadAsync(QueueFilter filter, Guid reviewerId)
    {
        var query = Filtered(filter, reviewerId);
        var page = Math.Max(1, filter.Page);
        var rows = await Rows(query.OrderBy(a => a.TargetDate).ThenBy(a => a.SubmittedAt).Skip((page - 1) * PageSize).Take(PageSize)).ToListAsync();
        // A first page that is not full holds the whole result (a reference searched, a short tab): nothing to count.
        var total = page == 1 && rows.Count < PageSize ? rows.Count : await query.CountAsync();
        return new QueuePage(rows, total, page, PageSize);
    }

    /// <summary>
    /// Every row of the filtered queue (no paging), in the screen's order, with the dates of submission, taking and
    /// decision: for the CSV and XLSX exports. Three queries: the rows, then the dates for those rows.
    /// </summary>
    public async Task<IReadOnlyList<ExportRow>> ExportAsync(QueueFilter filter, Guid reviewerId)
    {
        var rows = await Rows(Filtered(filter, reviewerId).OrderBy(a => a.TargetDate).ThenBy(a => a.SubmittedAt).Take(MaxExportRows)).ToListAsync();
        // The dates of taking and decision, for those rows only (a second query, so that the screen's stays as light).
        var ids = rows.Select(r => r.Id).ToList();
        var keys = ids.Select(id => id.ToString()).ToList();
        var taken = await db.AuditEvents.AsNoTracking()
            .Where(e => e.SubjectType == nameof(Application) && keys.Contains(e.SubjectId!) && (e.Action == AuditActions.Taken || e.Action == AuditActions.Assigned))
            .GroupBy(e => e.SubjectId!).Select(g => new { g.Key, At = g.Min(e => e.OccurredAt) })
            .ToDictionaryAsync(t => t.Key, t => t.At);
        var decided = await db.Decisions.AsNoTracking().Where(d => ids.Contains(d.ApplicationId))
            .ToDictionaryAsync(d => d.ApplicationId, d => d.DecidedAt);
        return rows.Select(r => new ExportRow(r, taken.TryGetValue(r.Id.ToString(), out var t) ? t : null, decided.TryGetValue(r.Id, out var d) ? d : null)).ToList();
    }

    /// <summary>The queue's columns, for the ordered page or export it is given. The order is the caller's: ascending
    /// target dates put applications without one last in PostgreSQL, so the (status, target_date) index serves the sort.</summary>
    private IQueryable<QueueRow> Rows(IQueryable<Application> ordered)
    {
        var today = Today;
        return ordered.Select(a => new QueueRow(a.Id, a.Reference!, a.Kind, a.DeviceName, a.Manufacturer!.LegalName, a.Urgency, a.Status, a.SubmittedAt!.Value,
            a.TargetDate, db.Users.Where(u => u.Id == a.AssignedReviewerId).Select(u => u.FullName).FirstOrDefault(),
            db.Proposals.Any(p => p.ApplicationId == a.Id && p.State == ProposalState.Pending),
            // An information request whose deadline passed without an answer: the holder decides what follows.
            a.Status == ApplicationStatus.InformationRequested
            && db.InformationRequests.Any(r => r.ApplicationId == a.Id && r.AnsweredAt == null && r.CancelledAt == null && r.AnswerDeadline < today),
            // The manufacturer or the filer registered itself and no administrator has verified it yet.
            a.Manufacturer.VerifiedAt == null || a.FilingOrganisation.VerifiedAt == null,
            a.Status == ApplicationStatus.InformationRequested
                ? db.InformationRequests.Where(r => r.ApplicationId == a.Id && r.AnsweredAt == null && r.CancelledAt == null && !r.AfterDecision)
                    .Select(r => (DateTimeOffset?)r.RequestedAt).FirstOrDefault()
                : null));
    }

    /// <summary>An export is for a spreadsheet, not for the whole history at once: beyond this, filter.</summary>
    public const int MaxExportRows = 50_000;

    /// <summary>The queue's tab and filters, shared by the screen and the exports.</summary>
    private IQueryable<Application> Filtered(QueueFilter filter, Guid reviewerId)
    {
        var query = db.Applications.AsNoTracking().Where(a => a.Status != ApplicationStatus.Draft);
        query = filter.Tab switch
        {
            QueueTab.ToTake => query.Where(a => a.Status == ApplicationStatus.Submitted && a.AssignedReviewerId == null),
            QueueTab.Mine => query.Where(a => a.AssignedReviewerId == reviewerId && Open.Contains(a.Status)),
            QueueTab.Waiting => query.Where(a => a.Status == ApplicationStatus.InformationRequested),
            QueueTab.Decided => query.Where(a => Decided.Contains(a.Status)),
            _ => query,
        };
        if (filter.Kind is { } kind)
        {
            query = query.Where(a => a.Kind == kind);
        }

        if (filter.LegalBasis is { } basis)
        {
            query = query.Where(a => a.LegalBasis == basis);
        }

        if (filter.Urgency is { } urgency)
        {
            query = query.Where(a => a.Urgency == urgency);
        }

        if (filter.Status is { } status)
        {
            query = query.Where(a => a.Status == status);
        }

        if (!string.IsNullOrWhiteSpace(filter.Search) && IsReference(filter.Search))
        {
            // A whole reference is looked up by its unique index alone, never by scanning names.
            var reference = filter.Search.Trim().ToUpperInvariant();
            query = query.Where(a => a.Reference == reference);
        }
        else if (!string.IsNullOrWhiteSpace(filter.Search))
        {
            var term = filter.Search.Trim();
            var pattern = $"%{term.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_")}%";
            query = query.Where(a => a.Reference == term.ToUpper()
                                     || EF.Functions.ILike(a.DeviceName!, pattern)
                                     || EF.Functions.ILike(a.Manufacturer!.LegalName, pattern));
        }

        return query;
    }

    /// <summary>A reviewer takes an application nobody holds; when two try at once, one gets it.</summary>
    public async Task<(TakeOutcome Outcome, string? Holder)> TakeAsync(string reference, Guid reviewerId)
    {
        // Rows first, then the audit chain: every transition locks in this order, so two never deadlock.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (TakeOutcome.NotFound, null);
        }

        if (application.Status != ApplicationStatus.Submitted || application.AssignedReviewerId is not null)
        {
            return (TakeOutcome.AlreadyTaken, await HolderAsync(application.AssignedReviewerId));
        }

        var from = application.Status;
        application.Status = ApplicationStatus.UnderReview;
        application.AssignedReviewerId = reviewerId;
        application.UpdatedAt = clock.GetUtcNow();
        db.Record(clock, AuditActions.Taken, reviewerId, nameof(Application), application.Id.ToString(), fromState: from.ToString(), toState: application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (TakeOutcome.Taken, null);
    }

    /// <summary>
    /// A senior reviewer gives an open application to a reviewer: a submitted one is taken on their behalf, one
    /// under review or waiting for the applicant changes hands. The audit event names both.
    /// </summary>
    public async Task<AssignOutcome> AssignAsync(string reference, Guid assigneeId, Guid seniorReviewerId)
    {
        var assignee = await db.Users.AsNoTracking().Where(u => u.Id == assigneeId)
            .Select(u => new { u.FullName, Reviews = db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && Organisations.Roles.Reviewing.Contains(r.Name!))) })
            .SingleOrDefaultAsync();
        if (assignee is not { Reviews: true })
        {
            return AssignOutcome.NotAReviewer;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return AssignOutcome.NotFound;
        }

        if (!IsOpen(application.Status))
        {
            return AssignOutcome.NotOpen;
        }

        if (application.AssignedReviewerId == assigneeId)
        {
            return AssignOutcome.AlreadyHolds;
        }

        var previous = await HolderAsync(application.AssignedReviewerId);
        var from = application.Status;
        application.AssignedReviewerId = assigneeId;
        if (application.Status == ApplicationStatus.Submitted)
        {
            application.Status = ApplicationStatus.UnderReview;
        }

        application.UpdatedAt = clock.GetUtcNow();
        db.Record(clock, AuditActions.Assigned, seniorReviewerId, nameof(Application), application.Id.ToString(),
            previous is null ? assignee.FullName : $"{previous} → {assignee.FullName}", fromState: from.ToString(), toState: application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return AssignOutcome.Assigned;
    }

    /// <summary>Everyone who may hold an application, for the senior reviewer's choice.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ReviewersAsync() =>
        (await db.Users.AsNoTracking()
            .Where(u => db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && Organisations.Roles.Reviewing.Contains(r.Name!))))
            .OrderBy(u => u.FullName).Select(u => new { u.Id, u.FullName }).ToListAsync())
        .Select(u => (u.Id, u.FullName)).ToList();

    /// <summary>Today in France, to tell which applications are overdue.</summary>
    public DateOnly Today => FrenchTime.Today(clock);

    public static bool IsOpen(ApplicationStatus status) => Open.Contains(status);

    /// <summary>DIV-2026-00042 or DGL-2026-00007 (any case, spaces around allowed).</summary>
    public static bool IsReference(string search) =>
        System.Text.RegularExpressions.Regex.IsMatch(search.Trim(), @"^(DIV|DGL)-\d{4}-\d{5}$", System.Text.RegularExpressions.RegexOptions.IgnoreCase);

    private async Task<string?> HolderAsync(Guid? reviewerId) =>
        reviewerId is null ? null : await db.Users.Where(u => u.Id == reviewerId).Select(u => u.FullName).SingleOrDefaultAsync();
}
