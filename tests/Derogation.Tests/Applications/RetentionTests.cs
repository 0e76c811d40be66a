using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derogation.Tests.Applications;

/// <summary>docs/retention.md, on a clock the tests set: drafts, patient data, e-mails.</summary>
public sealed class RetentionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<RetentionRun?> RunAsync(DateTimeOffset now)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        return await new Retention(services.GetRequiredService<DerogationDbContext>(), new RetentionOptions(), new FixedClock(now),
            TestLinks.At(services), services.GetRequiredService<OutboxSignal>()).RunAsync();
    }

    private async Task ExecuteAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> query)
    {
        await using var db = new DerogationDbContext(DerogationDbContext.Options(portal.ConnectionString));
        return await query(db);
    }

    [Fact]
    public async Task UntouchedDraft_IsRemindedTwice_ThenDeletedWithItsDocuments_AndATouchedOneIsKept()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = await portal.CreateClientForAsync(user);
        var forgotten = await Filing.IndividualReadyToSubmitAsync(client);
        var touched = await Filing.IndividualReadyToSubmitAsync(client);
        var untouchedSince = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.Zero);
        await ExecuteAsync("UPDATE applications SET updated_at = $1 WHERE id = ANY($2)", untouchedSince, new[] { forgotten, touched });
        Assert.True(await InDatabaseAsync(db => db.DocumentChunks.AnyAsync(c => c.ApplicationId == forgotten)));
        int Reminders() => portal.SentMails().Count(m => m.To == user.Email && m.Subject.StartsWith("Votre brouillon", StringComparison.Ordinal));

        // 31 days before the twelve months: nothing yet.
        Assert.Equal(0, (await RunAsync(untouchedSince.AddMonths(12).AddDays(-31)))!.DraftReminders);

        // 30 days before: the first reminder, once, with the date of deletion and no patient data.
        Assert.Equal(2, (await RunAsync(untouchedSince.AddMonths(12).AddDays(-30).AddHours(1)))!.DraftReminders);
        Assert.Equal(0, (await RunAsync(untouchedSince.AddMonths(12).AddDays(-29)))!.DraftReminders);
        var first = await portal.WaitForMailAsync(m => m.To == user.Email && m.Subject.StartsWith("Votre brouillon", StringComparison.Ordinal));
        Assert.Equal("Votre brouillon de demande de dérogation sera supprimé le 10 mars 2026", first.Subject);
        Assert.Contains("n'a pas été modifié depuis le 10 mars 2025", first.Body);
        Assert.DoesNotContain("1962", first.Body);
        Assert.DoesNotContain("Adrénoleucodystrophie", first.Body);

        // The applicant saves a step of the second draft: its reminders start again from that day.
        await ExecuteAsync("UPDATE applications SET updated_at = $1 WHERE id = $2", untouchedSince.AddMonths(12).AddDays(-20), touched);

        // 7 days before: the second reminder, for the forgotten draft only.
        Assert.Equal(1, (await RunAsync(untouchedSince.AddMonths(12).AddDays(-7).AddHours(1)))!.DraftReminders);

        // Twelve months (and the second reminder's week): the forgotten draft is deleted with its files; the other stays.
        var run = await RunAsync(untouchedSince.AddMonths(12).AddHours(2));
        Assert.Equal(1, run!.DraftsDeleted);
        Assert.False(await InDatabaseAsync(db => db.Applications.AnyAsync(a => a.Id == forgotten)));
        Assert.False(await InDatabaseAsync(db => db.DocumentChunks.AnyAsync(c => c.ApplicationId == forgotten)));
        Assert.True(await InDatabaseAsync(db => db.Applications.AnyAsync(a => a.Id == touched)));
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{forgotten}/recapitulatif")).StatusCode);

        // The purge is in the audit trail, with counts only.
        var audit = await InDatabaseAsync(db => db.AuditEvents.Where(e => e.Action == "RetentionPurged").OrderByDescending(e => e.ChainPosition).FirstAsync());
        Assert.StartsWith("drafts=1; patientData=0; emails=", audit.Details);
        Assert.Null(audit.SubjectId);

        await portal.WaitForMailAsync(_ => Reminders() == 3);
    }

    [Fact]
    public async Task DraftWithOneReminderOnly_IsNotDeleted_UntilTheSecondHasGivenItsNotice()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var draft = await Filing.DraftAtDocumentsStepAsync(client);
        var untouchedSince = new DateTimeOffset(2024, 1, 15, 9, 0, 0, TimeSpan.Zero);
        await ExecuteAsync("UPDATE applications SET updated_at = $1 WHERE id = $2", untouchedSince, draft);

        // The job did not run for months: past the twelve months, the first reminder; the draft is kept for the full notice.
        var late = untouchedSince.AddMonths(13);
        var run = await RunAsync(late);
        Assert.Equal((1, 0), (run!.DraftReminders, run.DraftsDeleted));
        // The second reminder no sooner than 23 days (30 − 7) after the first, the deletion 7 days after the second.
        Assert.Equal((0, 0), await RemindedAndDeletedAsync(late.AddDays(22)));
        Assert.Equal((1, 0), await RemindedAndDeletedAsync(late.AddDays(23).AddMinutes(1)));
        Assert.Equal((0, 0), await RemindedAndDeletedAsync(late.AddDays(29)));
        Assert.True(await InDatabaseAsync(db => db.Applications.AnyAsync(a => a.Id == draft)));
        Assert.Equal((0, 1), await RemindedAndDeletedAsync(late.AddDays(30).AddMinutes(2)));
    }

    private async Task<(int, int)> RemindedAndDeletedAsync(DateTimeOffset now)
    {
        var run = (await RunAsync(now))!;
        return (run.DraftReminders, run.DraftsDeleted);
    }

    [Fact]
    public async Task DecidedIndividualApplication_LosesItsPatientData_TenYearsAfterItsValidity_AndKeepsItsDecision()
    {
        var applicantUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await portal.CreateClientForAsync(applicantUser);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
        var (reviewer, _) = await portal.GrantAsync(reference, new Dictionary<string, string> { ["Conditions.ValidUntil"] = "2027-12-31" });
        var (open, openId) = await Filing.SubmitIndividualAsync(applicant);
        var (global, globalId) = await Filing.SubmitGlobalAsync(applicant);
        await ExecuteAsync("UPDATE applications SET status = 'Closed', updated_at = '2020-01-01' WHERE id = $1", globalId);
        var letters = await InDatabaseAsync(db => db.IssuedDocuments.CountAsync(d => d.ApplicationId == id));

        // Ten years after the last day of validity: not yet.
        Assert.Equal(0, (await RunAsync(new DateTimeOffset(2037, 12, 31, 12, 0, 0, TimeSpan.Zero)))!.PatientDataPurged);

        var run = await RunAsync(new DateTimeOffset(2038, 1, 1, 12, 0, 0, TimeSpan.Zero));
        Assert.Equal(1, run!.PatientDataPurged);

        var (application, versions, chunks, decision, issued) = await InDatabaseAsync(async db => (
            await db.Applications.AsNoTracking().SingleAsync(a => a.Id == id),
            await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == id).ToListAsync(),
            await db.DocumentChunks.CountAsync(c => c.ApplicationId == id),
            await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == id),
            await db.IssuedDocuments.CountAsync(d => d.ApplicationId == id)));
        Assert.NotNull(application.PatientDataPurgedAt);
        Assert.Null(application.Answers.Patient.LastNameInitial);
        Assert.Null(application.Answers.Patient.YearOfBirth);
        Assert.Null(application.Answers.Patient.MedicalContext);
        Assert.Equal(Urgency.Urgent, application.Answers.Patient.Urgency);
        Assert.Empty(application.Answers.Documents);
        Assert.All(versions, v => Assert.Null(v.Answers.Patient.YearOfBirth));
        Assert.All(versions, v => Assert.Empty(v.Answers.Documents));
        Assert.Equal(0, chunks);
        Assert.NotNull(decision);
        Assert.Equal(letters, issued);
        Assert.Equal(ApplicationStatus.Granted, application.Status);

        // The others are untouched: one still open, a global one (no patient).
        var stillOpen = await InDatabaseAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == openId));
        Assert.Equal(1962, stillOpen.Answers.Patient.YearOfBirth);
        Assert.Null(stillOpen.PatientDataPurgedAt);
        Assert.True(await InDatabaseAsync(db => db.DocumentChunks.AnyAsync(c => c.ApplicationId == globalId)));

        // Both sides see what happened; the case file no longer shows the patient.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("ont été supprimés le", caseFile.Text("#donnees-purgees"));
        Assert.DoesNotContain("1962", caseFile.Body!.TextContent);
        Assert.DoesNotContain("Adrénoleucodystrophie", caseFile.Body!.TextContent);
        var page = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Contains("La décision, les courriers et le journal d'audit sont conservés.", page.Text("#donnees-purgees"));
        Assert.DoesNotContain("1962", page.Body!.TextContent);

        // Run again: nothing more to purge.
        Assert.Equal(0, (await RunAsync(new DateTimeOffset(2038, 1, 2, 12, 0, 0, TimeSpan.Zero)))!.PatientDataPurged);
    }

    [Fact]
    public async Task Emails_AreDeletedFromTheOutbox_After90Days_UnlessStillToBeSent()
    {
        var now = new DateTimeOffset(2031, 5, 1, 8, 0, 0, TimeSpan.Zero);
        async Task<Guid> MessageAsync(int daysAgo, bool sent, int attempts = 1)
        {
            var id = Guid.NewGuid();
            await ExecuteAsync("""
                INSERT INTO outbox_messages (id, recipient, subject, body, purpose, created_at, attempts, next_attempt_at, sent_at)
                VALUES ($1, 'x@example.fr', 'Objet', 'Corps', 'Test', $2, $3, $2, $4)
                """, id, now.AddDays(-daysAgo), attempts, sent ? now.AddDays(-daysAgo) : DBNull.Value);
            return id;
        }

        var old = await MessageAsync(91, sent: true);
        var recent = await MessageAsync(89, sent: true);
        var pending = await MessageAsync(120, sent: false);
        var givenUp = await MessageAsync(120, sent: false, attempts: OutboxSender.MaxAttempts);

        var run = await RunAsync(now);
        Assert.True(run!.EmailsPurged >= 2);
        var left = await InDatabaseAsync(db => db.OutboxMessages.Where(m => new[] { old, recent, pending, givenUp }.Contains(m.Id)).Select(m => m.Id).ToListAsync());
        Assert.Equal(new[] { recent, pending }.Order(), left.Order());
    }
}
