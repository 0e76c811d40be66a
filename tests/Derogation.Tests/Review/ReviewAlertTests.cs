using Derogation.Core.Organisations;
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
