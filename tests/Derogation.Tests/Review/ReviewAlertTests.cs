using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Review;

/// <summary>Nobody polls the queue for an emergency: the team is told once, and every ANSM page counts the untaken ones.</summary>
public sealed class ReviewAlertTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Team = "instruction-dm@ansm.example";

    [Fact]
    public async Task AVitalEmergency_IsAnnouncedOnceToTheTeam_AndCountedOnAnsmPagesUntilTaken()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (vital, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("VitalEmergency"));
        var (planned, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("Planned"));

        var alert = await portal.WaitForMailAsync(m => m.To.Contains(Team, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(vital, StringComparison.Ordinal));
        Assert.Equal($"[URGENCE VITALE] Demande {vital} à prendre / VITAL EMERGENCY application to take", alert.Subject);
        Assert.EndsWith($"/instruction/{vital}", alert.Link($"/instruction/{vital}").AbsoluteUri);
        Assert.Single(portal.SentMails(), m => m.To.Contains(Team, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(vital, StringComparison.Ordinal));
        Assert.DoesNotContain(portal.SentMails(), m => m.To.Contains(Team, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(planned, StringComparison.Ordinal));

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync("/instruction"));
        Assert.StartsWith("1 urgence(s) vitale(s) déposée(s) et non prise(s).", queue.Text("#urgences-vitales .fr-notice__title"), StringComparison.Ordinal);
        Assert.Equal("/instruction?onglet=ToTake&urgence=VitalEmergency", queue.QuerySelector("#urgences-vitales a")!.GetAttribute("href"));
        // Not shown to the applicant.
        Assert.Null((await Html.ParseAsync(await applicant.GetAsync("/demandes"))).QuerySelector("#urgences-vitales"));

        await Filing.TakeAsync(reviewer, vital);
        Assert.Null((await Html.ParseAsync(await reviewer.GetAsync("/instruction"))).QuerySelector("#urgences-vitales"));
    }
}

/// <summary>Its own portal: the vital emergency it leaves untaken for hours must not show in the other class's count.</summary>
public sealed class ReviewAlertRepeatTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string Team = "instruction-dm@ansm.example";

    [Fact]
    public async Task AReviewerWhoOptsIn_IsAlertedToo_AndAnUntakenVitalEmergencyIsAnnouncedAgainAfterTwoHours()
    {
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        var page = await Html.ParseAsync(await reviewer.GetAsync("/instruction/alertes"));
        Assert.Contains(reviewerUser.Email, page.Text("main"), StringComparison.Ordinal);
        var saved = await reviewer.SubmitAsync(page, "/instruction/alertes", new Dictionary<string, string> { ["ReceivesUrgentAlerts"] = "true" });
        Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal("Vous recevrez les alertes des demandes urgentes.", (await Html.ParseAsync(await reviewer.GetAsync("/instruction/alertes"))).Text(".fr-alert"));

        // A signatory is not a reviewer: neither the page nor a forged post changes anything for them.
        var signatory = await portal.CreateClientAsAsync(Roles.Signatory);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await signatory.GetAsync("/instruction/alertes")).StatusCode);

        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (vital, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("VitalEmergency"));
        var (urgent, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("Urgent"));
        await portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(vital, StringComparison.Ordinal));
        await portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(urgent, StringComparison.Ordinal));

        DateTimeOffset submittedAt;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            submittedAt = (await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.SingleAsync(a => a.Reference == vital)).SubmittedAt!.Value;
        }

        async Task<int> RunAtAsync(DateTimeOffset now)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            return await new ReviewAlerts(services.GetRequiredService<DerogationDbContext>(), new ReviewAlertOptions { TeamEmail = Team }, new FixedClock(now),
                TestLinks.At(services), services.GetRequiredService<OutboxSignal>()).ReannounceAsync();
        }

        async Task<List<string>> RepeatedForAsync(string reference)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            return await db.OutboxMessages.Where(m => m.Purpose == "ReviewAlertRepeated" && db.Applications.Any(a => a.Id == m.ApplicationId && a.Reference == reference))
                .Select(m => m.Recipient).ToListAsync();
        }

        await RunAtAsync(submittedAt.AddMinutes(119));
        Assert.Empty(await RepeatedForAsync(vital));
        await RunAtAsync(submittedAt.AddMinutes(121));
        Assert.Equal(new[] { Team, reviewerUser.Email }.Order(StringComparer.Ordinal), (await RepeatedForAsync(vital)).Order(StringComparer.Ordinal));
        // An urgent (not vital) application is announced once only.
        Assert.Empty(await RepeatedForAsync(urgent));
        // Not again until two more hours have passed since that announcement.
        await RunAtAsync(submittedAt.AddMinutes(200));
        Assert.Equal(2, (await RepeatedForAsync(vital)).Count);
        await RunAtAsync(submittedAt.AddMinutes(242));
        Assert.Equal(4, (await RepeatedForAsync(vital)).Count);
        // Queued at the clock's time (so sent when that time comes): read from the outbox.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            var repeated = await db.OutboxMessages.FirstAsync(m => m.Purpose == "ReviewAlertRepeated" && m.Recipient == Team && db.Applications.Any(a => a.Id == m.ApplicationId && a.Reference == vital));
            Assert.Equal($"[URGENCE VITALE] Demande {vital} toujours à prendre / VITAL EMERGENCY application still to take", repeated.Subject);
            Assert.Contains("déposée il y a 2 h n'a toujours pas été prise", repeated.Body, StringComparison.Ordinal);
        }

        // Once taken, never again.
        await Filing.TakeAsync(reviewer, vital);
        await RunAtAsync(submittedAt.AddHours(10));
        Assert.Equal(4, (await RepeatedForAsync(vital)).Count);
    }
}
