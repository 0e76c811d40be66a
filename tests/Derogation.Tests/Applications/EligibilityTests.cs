using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

/// <summary>Before a wizard, three questions tell whether a derogation is the route; the answers go with the draft.</summary>
public sealed class EligibilityTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<int> DraftsAsync(Guid userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.CountAsync(a => a.CreatedByUserId == userId);
    }

    [Fact]
    public async Task TheCheck_ExplainsAnotherRoute_OrOpensTheWizard_KeepingTheAnswersWithTheDraft()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = await portal.CreateClientForAsync(user);
        var home = await Html.ParseAsync(await client.GetAsync("/demandes"));
        Assert.Equal("/demandes/individuelle/eligibilite", home.QuerySelectorAll("#navigation-principale a").Single(a => a.TextContent.Trim() == "Nouvelle demande individuelle").GetAttribute("href"));

        var unanswered = await Html.ParseAsync(await client.SubmitAsync("/demandes/individuelle/eligibilite", new Dictionary<string, string>()));
        Assert.Equal(3, unanswered.Texts("#resume-erreurs li").Count());
        Assert.StartsWith("Le dispositif porte-t-il le marquage CE pour l'usage envisagé ? : choisissez « Oui » ou « Non ».", unanswered.Texts("#resume-erreurs li").First(), StringComparison.Ordinal);

        // A device CE-marked for this use: another route, explained; nothing created; the answers kept.
        var answers = new Dictionary<string, string> { ["Input.CeMarkedForThisUse"] = "True", ["Input.CustomMade"] = "False", ["Input.StudyAvailable"] = "False" };
        var ceMarked = await client.SubmitAsync("/demandes/individuelle/eligibilite", answers);
        Assert.Equal(HttpStatusCode.OK, ceMarked.StatusCode);
        var ceMarkedPage = await Html.ParseAsync(ceMarked);
        Assert.StartsWith("Un dispositif marqué CE pour l'usage envisagé n'a pas besoin de dérogation", ceMarkedPage.Texts("#autre-voie p").First(), StringComparison.Ordinal);
        Assert.NotNull(ceMarkedPage.QuerySelector("#Input_CeMarkedForThisUse-0[checked]"));
        answers["Input.CeMarkedForThisUse"] = "False";
        answers["Input.StudyAvailable"] = "True";
        Assert.StartsWith("Une dérogation ne remplace pas une investigation clinique", (await Html.ParseAsync(await client.SubmitAsync("/demandes/individuelle/eligibilite", answers))).Texts("#autre-voie p").First(), StringComparison.Ordinal);
        Assert.Equal(0, await DraftsAsync(user.Id));

        // A derogation is the route: the start page says the check is done, and the draft keeps the answers.
        answers["Input.StudyAvailable"] = "False";
        var eligible = await client.SubmitAsync("/demandes/individuelle/eligibilite", answers);
        Assert.Equal("/demandes/individuelle/nouvelle", eligible.Headers.Location!.OriginalString);
        var start = await Html.ParseAsync(await client.GetAsync("/demandes/individuelle/nouvelle"));
        Assert.NotNull(start.QuerySelector("#eligibilite-faite"));
        var started = await client.SubmitAsync(start, "/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        await using var scope = portal.Services.CreateAsyncScope();
        var draft = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(false, draft.Answers.Eligibility?.CeMarkedForThisUse);
        Assert.Equal(false, draft.Answers.Eligibility?.CustomMade);
        Assert.Equal(false, draft.Answers.Eligibility?.StudyAvailable);
        // Once used, the answers do not follow the next application started directly.
        Assert.NotNull((await Html.ParseAsync(await client.GetAsync("/demandes/individuelle/nouvelle"))).QuerySelector("#eligibilite-a-faire"));
    }

    [Fact]
    public async Task TheReviewer_ReadsTheAnswers_OrThatTheCheckWasSkipped()
    {
        var (reference, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var caseFile = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync($"/instruction/{reference}"));
        Assert.Equal("Demande commencée sans la vérification préalable.", caseFile.Text("#eligibilite"));
    }
}
