using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Navigation;
using Derogation.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>Configuration section "ReviewAlerts".</summary>
public sealed class ReviewAlertOptions
{
    /// <summary>The reviewers' team address, told of every vital-emergency or urgent application on submission (none: only the reviewers who opted in).</summary>
    public string? TeamEmail { get; set; }

    /// <summary>A vital emergency nobody has taken is announced again after this long (default 2 hours).</summary>
    public int ReannounceAfterMinutes { get; set; } = 120;

    /// <summary>How often the background job looks for vital emergencies to announce again.</summary>
    public int CheckEveryMinutes { get; set; } = 5;

    /// <summary>
    /// How long an instance remembers the count of untaken vital emergencies shown on every ANSM page (default 2 s; 0:
    /// read on every page). A change saved through the same instance is shown at once whatever this is.
    /// </summary>
    public int BannerCountSeconds { get; set; } = 2;

    /// <summary>Off in the tests, which run the job themselves on a clock they set.</summary>
    public bool RunInBackground { get; set; } = true;
}

/// <summary>
/// Nobody at ANSM has to poll the queue for an emergency: a vital-emergency or urgent application is announced to the
/// reviewers' team address and to the reviewers who opted in, through the outbox, in the submission's transaction (so
/// once, whatever the instances); a vital emergency still untaken is announced again after a delay; ANSM pages show how
/// many vital emergencies nobody has taken yet. An alert carries the reference, the urgency and the target date only —
/// never anything about the patient.
/// </summary>
public sealed class ReviewAlerts(DerogationDbContext db, ReviewAlertOptions options, TimeProvider clock, IPortalLinks links, OutboxSignal outbox, UntakenVitalEmergencyCount? banner = null)
{
    /// <summary>Queues the alert for a just-submitted application (inside the caller's transaction), if it is urgent.</summary>
    public async Task AnnounceAsync(Application submitted)
    {
        if (submitted.Urgency is not (Urgency.VitalEmergency or Urgency.Urgent) || submitted.Kind != ApplicationKind.Individual)
        {
            return;
        }

        Queue(submitted, await RecipientsAsync(), again: false);
    }

    /// <summary>
    /// Announces again every vital emergency that nobody has taken since its last announcement, older than the delay.
    /// Safe with several instances: the rows are claimed with FOR UPDATE SKIP LOCKED and the announcement time is
    /// moved in the same transaction as the e-mails are queued.
    /// </summary>
    public async Task<int> ReannounceAsync()
    {
        var before = clock.GetUtcNow().AddMinutes(-Math.Max(1, options.ReannounceAfterMinutes));
        await using var transaction = await db.Database.BeginTransactionAsync();
        var due = await db.Applications
            .FromSql($"""
                SELECT *, xmin FROM applications
                WHERE status = 'Submitted' AND assigned_reviewer_id IS NULL AND urgency = 'VitalEmergency' AND kind = 'Individual'
                  AND urgency_announced_at <= {before}
                FOR UPDATE SKIP LOCKED
                """)
            .ToListAsync();
        // The same recipients for every application announced in this run: read once.
        var recipients = due.Count == 0 ? [] : await RecipientsAsync();
        foreach (var application in due)
        {
            Queue(application, recipients, again: true);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        if (due.Count > 0)
        {
            outbox.Wake();
        }

        return due.Count;
    }

    /// <summary>Vital emergencies submitted that no reviewer has taken yet (shown on every ANSM page; remembered a few seconds, <see cref="UntakenVitalEmergencyCount"/>).</summary>
    public Task<int> UntakenVitalEmergenciesAsync() => banner is null ? CountUntaken(db) : banner.ReadAsync(db.Database.GetConnectionString(), () => CountUntaken(db));

    /// <summary>The one definition of an untaken vital emergency: the pages' count and the telemetry gauge read it.</summary>
    private static readonly System.Linq.Expressions.Expression<Func<Application, bool>> IsUntakenVitalEmergency =
        a => a.Status == ApplicationStatus.Submitted && a.AssignedReviewerId == null && a.Urgency == Urgency.VitalEmergency;

    // Read on every ANSM page (the layout's banner): compiled once, so that EF Core does not rebuild and look up
    // the query's cache key on each page (docs/performance.md).
    private static readonly Func<DerogationDbContext, Task<int>> CountUntaken = EF.CompileAsyncQuery((DerogationDbContext db) =>
        db.Applications.Count(IsUntakenVitalEmergency));

    /// <summary>The untaken vital emergencies (<see cref="IsUntakenVitalEmergency"/>), for counting elsewhere.</summary>
    public static IQueryable<Application> UntakenVitalEmergencies(DerogationDbContext db) =>
        db.Applications.AsNoTracking().Where(IsUntakenVitalEmergency);

    /// <summary>The reviewers who asked for the alerts, by their account's address.</summary>
    public async Task<IReadOnlyList<string>> OptedInAsync() =>
        await db.Users.AsNoTracking()
            .Where(u => u.ReceivesUrgentAlerts && u.Email != null
                        && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && Organisations.Roles.Reviewing.Contains(r.Name!))))
            .Select(u => u.Email!).ToListAsync();

    /// <summary>The team address first, then the reviewers who opted in.</summary>
    private async Task<IReadOnlyList<string>> RecipientsAsync()
    {
        var recipients = (await OptedInAsync()).ToList();
        if (!string.IsNullOrWhiteSpace(options.TeamEmail))
        {
            recipients.Insert(0, options.TeamEmail.Trim());
        }

        return recipients;
    }

    private void Queue(Application application, IReadOnlyList<string> recipients, bool again)
    {
        application.UrgencyAnnouncedAt = clock.GetUtcNow();
        var vital = application.Urgency == Urgency.VitalEmergency;
        var (french, english) = vital ? ("URGENCE VITALE", "VITAL EMERGENCY") : ("Urgent", "Urgent");
        var link = links.CaseFile(application.Reference!);
        var waited = clock.GetUtcNow() - application.SubmittedAt!.Value;
        var hours = (int)Math.Floor(waited.TotalHours);
        var (subjectFrench, subjectEnglish) = again
            ? ($"[{french}] Demande {application.Reference} toujours à prendre", $"{english} application still to take")
            : ($"[{french}] Demande {application.Reference} à prendre", $"{english} application to take");
        var (leadFrench, leadEnglish) = again
            ? ($"Une demande individuelle ({french.ToLowerInvariant()}) déposée il y a {hours} h n'a toujours pas été prise : {application.Reference}.",
                $"An individual application ({english.ToLowerInvariant()}) filed {hours} h ago has still not been taken: {application.Reference}.")
            : ($"Une demande individuelle ({french.ToLowerInvariant()}) vient d'être déposée et attend d'être prise : {application.Reference}.",
                $"An individual application ({english.ToLowerInvariant()}) has just been filed and is waiting to be taken: {application.Reference}.");
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Enqueue(clock, recipient, $"{subjectFrench} / {subjectEnglish}",
                $"Bonjour,\n\n{leadFrench}\n\n{link}\n\nÉchéance : {application.TargetDate:dd/MM/yyyy}.\n\nPortail des dérogations au marquage CE\n\n---\n\n" +
                $"{leadEnglish}\n\n{link}\n\nTarget date: {application.TargetDate:yyyy-MM-dd}.",
                again ? "ReviewAlertRepeated" : "ReviewAlert", application.Id);
        }
    }
}
