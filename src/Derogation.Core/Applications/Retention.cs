using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Navigation;
using Derogation.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

/// <summary>Configuration section "Retention" (docs/retention.md): how long each category is kept.</summary>
public sealed class RetentionOptions
{
    /// <summary>A draft nobody has touched for this long is deleted (after the two reminders).</summary>
    public int DraftMonths { get; set; } = 12;

    /// <summary>The reminders before a draft's deletion, in days before it (the first, then the second).</summary>
    public int FirstDraftReminderDaysBefore { get; set; } = 30;

    public int SecondDraftReminderDaysBefore { get; set; } = 7;

    /// <summary>A decided individual application's patient data is purged this many years after the end of validity.</summary>
    public int PatientDataYears { get; set; } = 10;

    /// <summary>E-mails (sent, or given up on) are deleted from the outbox after this many days.</summary>
    public int EmailDays { get; set; } = 90;
}

public sealed record RetentionRun(int DraftReminders, int DraftsDeleted, int PatientDataPurged, int EmailsPurged);

/// <summary>
/// Keeps personal data only as long as needed (docs/retention.md): reminds, then deletes, untouched drafts; purges the
/// patient's data from decided individual applications once their retention has run (the decision, the letters and
/// the audit trail stay); deletes old e-mails from the outbox. Each purge writes one audit event with counts only.
/// Once at a time whatever the instances (a transaction-scoped advisory lock).
/// </summary>
public sealed class Retention(DerogationDbContext db, RetentionOptions options, TimeProvider clock, IPortalLinks links, OutboxSignal outbox)
{
    private const long RunLock = 4427655367326575;

    /// <summary>The application statuses after which nothing more is decided on the patient's case.</summary>
    private static readonly string[] Final =
    [
        nameof(ApplicationStatus.Granted), nameof(ApplicationStatus.Refused), nameof(ApplicationStatus.Closed),
        nameof(ApplicationStatus.WithdrawnByApplicant), nameof(ApplicationStatus.Withdrawn), nameof(ApplicationStatus.Expired),
    ];

    public async Task<RetentionRun?> RunAsync()
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync();
        if (!await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({RunLock}) AS \"Value\"").SingleAsync())
        {
            return null;
        }

        var now = clock.GetUtcNow();
        var reminders = await RemindDraftsAsync(now);
        var deleted = await DeleteDraftsAsync(now);
        var purged = await PurgePatientDataAsync();
        var emails = await db.Database.ExecuteSqlAsync($"""
            DELETE FROM outbox_messages
            WHERE created_at < {now.AddDays(-options.EmailDays)} AND (sent_at IS NOT NULL OR attempts >= {OutboxSender.MaxAttempts})
            """);
        if (deleted + purged + emails > 0)
        {
            db.Record(clock, AuditActions.RetentionPurged, null, "Retention", null,
                $"drafts={deleted}; patientData={purged}; emails={emails}");
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        if (reminders > 0)
        {
            outbox.Wake();
        }

        return new RetentionRun(reminders, deleted, purged, emails);
    }

    /// <summary>When a draft untouched since <paramref name="updatedAt"/> is deleted.</summary>
    public DateTimeOffset DeletionDate(DateTimeOffset updatedAt) => updatedAt.AddMonths(options.DraftMonths);

    private async Task<int> RemindDraftsAsync(DateTimeOffset now)
    {
        var sent = 0;
        // The second reminder comes no sooner than the gap between the two after the first, whenever the job runs: the
        // applicant always has the full notice of the first reminder before the deletion.
        var gap = Math.Max(0, options.FirstDraftReminderDaysBefore - options.SecondDraftReminderDaysBefore);
        foreach (var (number, daysBefore) in new[] { (1, options.FirstDraftReminderDaysBefore), (2, options.SecondDraftReminderDaysBefore) })
        {
            // A reminder counts while the draft stays untouched since it was sent; touching the draft starts again.
            var untouchedSince = now.AddMonths(-options.DraftMonths).AddDays(daysBefore);
            var previousBefore = now.AddDays(-gap);
            var due = await db.Applications
                .Where(a => a.Status == ApplicationStatus.Draft && a.UpdatedAt <= untouchedSince)
                .Where(a => (a.RetentionRemindedAt == null || a.RetentionRemindedAt < a.UpdatedAt ? 0 : a.RetentionReminders) == number - 1)
                .Where(a => number == 1 || a.RetentionRemindedAt <= previousBefore)
                .Join(db.Users, a => a.CreatedByUserId, u => u.Id, (a, u) => new { Draft = a, u.Email })
                .ToListAsync();
            foreach (var item in due)
            {
                item.Draft.RetentionReminders = number;
                item.Draft.RetentionRemindedAt = now;
                if (item.Email is not null)
                {
                    // The device's name only: nothing about the patient in an e-mail.
                    db.Enqueue(clock, item.Email, CoreText.French("DraftDeletionSubject", FrenchTime.Written(DeletionDate(item.Draft.UpdatedAt))),
                        CoreText.French("DraftDeletionBody", item.Draft.DeviceName ?? CoreText.French("DraftUnnamed"),
                            FrenchTime.Written(item.Draft.UpdatedAt), FrenchTime.Written(DeletionDate(item.Draft.UpdatedAt)), links.Applications()),
                        "DraftDeletionReminder", item.Draft.Id);
                }

                sent++;
            }
        }

        await db.SaveChangesAsync();
        return sent;
    }

    /// <summary>Deletes the drafts past their time whose second reminder went out at least its notice ago.</summary>
    private async Task<int> DeleteDraftsAsync(DateTimeOffset now)
    {
        var untouchedSince = now.AddMonths(-options.DraftMonths);
        var secondReminderBefore = now.AddDays(-options.SecondDraftReminderDaysBefore);
        var due = await db.Applications
            .Where(a => a.Status == ApplicationStatus.Draft && a.UpdatedAt <= untouchedSince
                && a.RetentionReminders >= 2 && a.RetentionRemindedAt >= a.UpdatedAt && a.RetentionRemindedAt <= secondReminderBefore)
            .ToListAsync();

        // Their documents' bytes and prescriber invitations go with them (ON DELETE CASCADE); their reminders' e-mails
        // no longer point to anything.
        var ids = due.Select(a => a.Id).ToList();
        await db.OutboxMessages.Where(m => m.ApplicationId != null && ids.Contains(m.ApplicationId.Value)).ExecuteUpdateAsync(m => m.SetProperty(x => x.ApplicationId, (Guid?)null));
        db.Applications.RemoveRange(due);
        await db.SaveChangesAsync();
        return due.Count;
    }

    /// <summary>
    /// Individual applications in a final status whose end of validity (the decision's end date, else the decision, else the
    /// last change) is more than the retention ago: patient fields and every uploaded file go, the decision stays.
    /// </summary>
    private async Task<int> PurgePatientDataAsync()
    {
        var cutoff = FrenchTime.Today(clock).AddYears(-options.PatientDataYears);
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT a.id AS "Value" FROM applications a
            LEFT JOIN LATERAL (SELECT d.conditions, d.decided_at FROM decisions d WHERE d.application_id = a.id ORDER BY d.version DESC LIMIT 1) d ON true
            WHERE a.kind = 'Individual' AND a.patient_data_purged_at IS NULL AND a.status = ANY({Final})
              AND coalesce((d.conditions->>'validUntil')::date, (d.decided_at AT TIME ZONE 'Europe/Paris')::date,
                           (a.updated_at AT TIME ZONE 'Europe/Paris')::date) < {cutoff}
            """).ToListAsync();
        if (ids.Count == 0)
        {
            return 0;
        }

        var now = clock.GetUtcNow();
        foreach (var application in await db.Applications.Where(a => ids.Contains(a.Id)).ToListAsync())
        {
            PurgeAnswers(application.Answers);
            application.PatientDataPurgedAt = now;
        }

        foreach (var version in await db.ApplicationVersions.Where(v => ids.Contains(v.ApplicationId)).ToListAsync())
        {
            PurgeAnswers(version.Answers);
        }

        await db.SaveChangesAsync();
        await db.DocumentChunks.Where(c => ids.Contains(c.ApplicationId)).ExecuteDeleteAsync();
        await db.InformationRequests.Where(r => ids.Contains(r.ApplicationId))
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.Answer, (string?)null).SetProperty(x => x.Attachment, (DocumentReference?)null).SetProperty(x => x.AnswerAttachment, (DocumentReference?)null));
        await db.CaseMessages.Where(m => ids.Contains(m.ApplicationId))
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.Text, CoreText.French("MessagePurged")).SetProperty(x => x.Attachment, (DocumentReference?)null));
        await db.ExpertOpinions.Where(o => ids.Contains(o.ApplicationId))
            .ExecuteUpdateAsync(o => o.SetProperty(x => x.AnswerAttachment, (DocumentReference?)null).SetProperty(x => x.DocumentIds, new List<Guid>()));
        return ids.Count;
    }

    /// <summary>What identifies or describes the patient; the urgency (a fact of the procedure) and the parties stay.</summary>
    private static void PurgeAnswers(ApplicationAnswers answers)
    {
        answers.Patient = new PatientAnswers { Urgency = answers.Patient.Urgency };
        if (answers.PrescriberStatement is not null)
        {
            answers.PrescriberStatement.MedicalJustification = "";
        }

        answers.Documents = [];
    }
}
