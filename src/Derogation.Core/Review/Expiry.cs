using Derogation.Core.Navigation;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>A reminder sent before a global derogation expires: one per derogation and threshold.</summary>
public sealed class ExpiryReminder
{
    public Guid ApplicationId { get; set; }
    /// <summary>The end of validity announced: after an extension, the next one is reminded too.</summary>
    public DateOnly ValidUntil { get; set; }
    public int DaysBefore { get; set; }
    public DateTimeOffset SentAt { get; set; }
}

internal sealed class ExpiryReminderConfiguration : IEntityTypeConfiguration<ExpiryReminder>
{
    public void Configure(EntityTypeBuilder<ExpiryReminder> builder)
    {
        builder.ToTable("expiry_reminders");
        builder.HasKey(r => new { r.ApplicationId, r.ValidUntil, r.DaysBefore });
        builder.HasOne<Application>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Configuration section "Expiry".</summary>
public sealed class ExpiryOptions
{
    /// <summary>Days before the end of validity at which the manufacturer is reminded (default 60 and 14).</summary>
    public int[] ReminderDays { get; set; } = [60, 14];

    /// <summary>How often the background job runs.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Off in the tests, which run the job themselves on a clock they set: the real date must not move their data.</summary>
    public bool RunInBackground { get; set; } = true;
}

/// <summary>
/// Derogations past their end date — global ones, and individual ones given an end date — become Expired (with an
/// audit event); before a global one ends, the manufacturer is
/// reminded with a link to request an extension. Safe with several instances: the expiring rows are claimed with
/// FOR UPDATE SKIP LOCKED, and each reminder is recorded by its (derogation, threshold) key before it is sent.
/// </summary>
public sealed class ExpiryService(DerogationDbContext db, ExpiryOptions options, OutboxSignal outbox, TimeProvider clock, IPortalLinks links)
{
    public async Task<(int Expired, int Reminded)> RunAsync()
    {
        var today = FrenchTime.Today(clock);
        var expired = await ExpireAsync(today);
        var reminded = 0;
        foreach (var days in options.ReminderDays.Distinct().OrderByDescending(d => d))
        {
            reminded += await RemindAsync(today, days);
        }

        if (expired + reminded > 0)
        {
            outbox.Wake();
        }

        return (expired, reminded);
    }

    /// <summary>
    /// Granted or suspended derogations whose validity ended before today: global ones, and individual ones given an end
    /// date (an individual derogation without one lasts for its patient's care).
    /// </summary>
    private async Task<int> ExpireAsync(DateOnly today)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        var ids = await db.Database.SqlQuery<Guid>($"""
            SELECT a.id AS "Value" FROM applications a JOIN decisions d ON d.application_id = a.id
            WHERE a.status IN ('Granted', 'Suspended')
              AND COALESCE((SELECT max(m.new_valid_until) FROM grant_measures m WHERE m.application_id = a.id AND m.kind = 'Extension'),
                           (d.conditions ->> 'validUntil')::date) < {today}
            FOR UPDATE OF a SKIP LOCKED
            """).ToListAsync();
        foreach (var application in await db.Applications.Where(a => ids.Contains(a.Id)).ToListAsync())
        {
            var from = application.Status;
            application.Status = ApplicationStatus.Expired;
            application.UpdatedAt = clock.GetUtcNow();
            db.Record(clock, AuditActions.Expired, null, nameof(Application), application.Id.ToString(), $"validity ended", from.ToString(), application.Status.ToString());
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return ids.Count;
    }

    private async Task<int> RemindAsync(DateOnly today, int days)
    {
        var limit = today.AddDays(days);
        var granted = await db.Applications.AsNoTracking()
            .Where(a => a.Kind == ApplicationKind.Global && a.Status == ApplicationStatus.Granted)
            .Join(db.Decisions, a => a.Id, d => d.ApplicationId, (a, d) => new
            {
                a.Id, a.Reference, a.ManufacturerId, a.DeviceName, d.Version, d.Conditions,
                Extended = db.GrantMeasures.Where(m => m.ApplicationId == a.Id && m.Kind == GrantMeasureKind.Extension).Max(m => m.NewValidUntil),
            })
            .ToListAsync();
        var sent = 0;
        foreach (var derogation in granted
                     .Select(d => new { d.Id, d.Reference, d.ManufacturerId, d.DeviceName, d.Version, ValidUntil = d.Extended ?? d.Conditions.ValidUntil })
                     .Where(d => d.ValidUntil is { } until && until >= today && until <= limit))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            // The reminder is claimed first: of two instances, the one whose insert lands sends it.
            var claimed = await db.Database.ExecuteSqlAsync(
                $"INSERT INTO expiry_reminders (application_id, valid_until, days_before, sent_at) VALUES ({derogation.Id}, {derogation.ValidUntil!.Value}, {days}, {clock.GetUtcNow()}) ON CONFLICT DO NOTHING");
            if (claimed == 0)
            {
                continue;
            }

            var until = derogation.ValidUntil!.Value;
            var annual = (await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == derogation.Id && v.Version == derogation.Version)
                .Select(v => v.Answers).SingleAsync()).GlobalScope.AnnualProsthesisRevision;
            // An annual prosthesis derogation is renewed through its recap; the others through a new application.
            var link = annual
                ? links.AnnualRecap(derogation.Reference!)
                : links.ExtensionRequest(derogation.Reference!);
            var action = annual
                ? ("Déposez le bilan annuel des éléments utilisés et, si besoin, demandez sa prolongation de 12 mois sur le portail", "File the annual recap of the elements used and, if needed, request a 12-month extension on the portal")
                : ("Pour continuer à mettre ce dispositif à disposition, demandez une prolongation sur le portail", "To keep supplying the device, request an extension on the portal");
            var emails = await db.EmailsAsync(derogation.ManufacturerId);
            foreach (var email in emails)
            {
                db.Enqueue(clock, email, $"Dérogation {derogation.Reference} : fin de validité le {until:dd/MM/yyyy} / expires on {until:yyyy-MM-dd}",
                    $"Bonjour,\n\nLa dérogation globale {derogation.Reference} ({derogation.DeviceName}) prend fin le {until:dd/MM/yyyy}. " +
                    $"{action.Item1} :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                    $"Hello,\n\nGlobal derogation {derogation.Reference} ({derogation.DeviceName}) ends on {until:yyyy-MM-dd}. {action.Item2}:\n\n{link}\n\n" +
                    "ANSM — CE-marking derogation portal",
                    "ExpiryReminder", derogation.Id);
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            sent++;
        }

        return sent;
    }
}
