using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Review;

public sealed class WithdrawalTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Applicant_WithdrawsWithAReason_ReviewersSeeItWithdrawnAndWhy()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(applicant);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");

        var withoutReason = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{reference}/retrait", new Dictionary<string, string> { ["Reason"] = " " }));
        Assert.StartsWith("Motif du retrait : indiquez pourquoi la demande est retirée", withoutReason.Text("#Reason-messages"));

        var withdrawn = await applicant.SubmitAsync($"/demandes/{reference}/retrait", new Dictionary<string, string> { ["Reason"] = "Le patient a été inclus dans une étude." });
        Assert.Equal($"/demandes/{reference}", withdrawn.Headers.Location!.OriginalString);
        var page = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Equal($"La demande {reference} a été retirée.", page.Text(".fr-alert--success"));
        Assert.Equal("Retirée par le demandeur", page.Text(".fr-badge"));
        Assert.Null(page.QuerySelector("a[href$='/retrait']"));

        var all = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        Assert.Equal("Retirée par le demandeur", all.Text("tbody td:nth-child(7)"));
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains(caseFile.Texts("tbody td"), t => t.Contains("Retrait par le demandeur : En cours d'instruction → Retirée par le demandeur", StringComparison.Ordinal)
                                                         && t.Contains("Le patient a été inclus dans une étude.", StringComparison.Ordinal));
        Assert.Null(caseFile.QuerySelector("a[href$='/decision']"));
    }

    [Fact]
    public async Task Withdrawal_IsNotOffered_ToSomeoneElse_OrAfterTheDecision()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(applicant);
        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}/retrait")).StatusCode);

        await applicant.SubmitAsync($"/demandes/{reference}/retrait", new Dictionary<string, string> { ["Reason"] = "Plus nécessaire." });
        Assert.Equal(HttpStatusCode.NotFound, (await applicant.GetAsync($"/demandes/{reference}/retrait")).StatusCode);
    }
}
