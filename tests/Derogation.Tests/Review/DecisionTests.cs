using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class DecisionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Reviewer, TestUser ReviewerUser)> UnderReviewAsync()
    {
        var (reference, id) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        return (reference, id, reviewer, reviewerUser);
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task Refusal_WithoutReasons_FailsInTheDomainService_NotOnlyInTheForm()
    {
        var (reference, id, _, reviewer) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        foreach (var reasons in new[] { null, "", "   " })
        {
            var (error, decision) = await InScopeAsync(services => services.GetRequiredService<DecisionService>()
                .DecideAsync(reference, new DecisionInput(DecisionOutcome.Refuse, reasons, new DecisionConditions(), signatory.Id), reviewer.Id, "https://derogations.test"));
            Assert.Equal(DecisionError.ReasonsRequired, error);
            Assert.Null(decision);
        }

        var status = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());
        Assert.Equal(ApplicationStatus.UnderReview, status);
    }

    [Fact]
    public async Task Decisions_AreRefused_ForADraft_AWithdrawnOrAnAlreadyDecidedApplication_AndAWrongSignatory()
    {
        var (reference, id, _, reviewer) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var input = new DecisionInput(DecisionOutcome.Grant, "Considérant que le bénéfice attendu l'emporte.", new DecisionConditions(), signatory.Id);
        Task<(DecisionError, Decision?)> Decide(DecisionInput decision) =>
            InScopeAsync(services => services.GetRequiredService<DecisionService>().DecideAsync(reference, decision, reviewer.Id, "https://derogations.test"));

        Assert.Equal(DecisionError.NotASignatory, (await Decide(input with { SignatoryUserId = reviewer.Id })).Item1);
        Assert.Equal(DecisionError.None, (await Decide(input)).Item1);
        Assert.Equal(DecisionError.NotUnderReview, (await Decide(input with { Outcome = DecisionOutcome.Refuse })).Item1);

        var (withdrawn, withdrawnId, _, _) = await UnderReviewAsync();
        await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == withdrawnId)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ApplicationStatus.WithdrawnByApplicant)));
        Assert.Equal(DecisionError.NotUnderReview, (await InScopeAsync(services => services.GetRequiredService<DecisionService>()
            .DecideAsync(withdrawn, input, reviewer.Id, "https://derogations.test"))).Item1);

        // A draft has no reference: there is nothing to decide.
        var draft = await (await portal.CreateClientAsAsync(Roles.Manufacturer)).SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var draftId = draft.Headers.Location!.OriginalString.Split('/')[2];
        Assert.Equal(DecisionError.NotFound, (await InScopeAsync(services => services.GetRequiredService<DecisionService>().DecideAsync(draftId, input, reviewer.Id, "https://derogations.test"))).Item1);
        Assert.Equal(1, await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Decisions.CountAsync(d => d.ApplicationId == id)));
    }

    [Fact]
    public async Task Grant_WithConditions_MovesTheApplication_RecordsWhoSigns_AndTheHistory()
    {
        var (reference, id, reviewer, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var page = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        Assert.NotNull(page.QuerySelector($"#SignatoryId option[value='{signatory.Id}']"));

        var response = await reviewer.SubmitAsync(page, $"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant",
            ["Reasons"] = "Considérant l'absence d'alternative marquée CE ;\nConsidérant les données de performances fournies.",
            ["Conditions.ValidUntil"] = "2027-06-30",
            ["Conditions.MaxPatients"] = "1",
            ["Conditions.FollowUp"] = "Déclarer tout incident sans délai.",
            ["SignatoryId"] = signatory.Id.ToString(),
        });
        Assert.Equal($"/instruction/{reference}", response.Headers.Location!.OriginalString);

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Décision enregistrée : Dérogation accordée.", caseFile.Text(".fr-alert--info"));
        Assert.Equal("Accordée", caseFile.Text(".fr-badge"));
        Assert.StartsWith("Signée par Utilisateur Test, Par délégation du directeur général de l'ANSM", caseFile.Text("#decision .fr-text--sm"));
        Assert.Contains("Décision : En cours d'instruction → Accordée", caseFile.Texts("tbody td"));

        var decision = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == id));
        Assert.Equal(new DateOnly(2027, 6, 30), decision.Conditions.ValidUntil);
        Assert.Equal(1, decision.Conditions.MaxPatients);
        Assert.Equal(1, decision.Version);
    }

    [Fact]
    public async Task DecisionForm_WithMissingAnswers_NamesThem_AndKeepsTheRest()
    {
        var (reference, _, reviewer, _) = await UnderReviewAsync();
        var page = await Html.ParseAsync(await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Conditions.Restrictions"] = "Usage hospitalier uniquement.",
        }));
        Assert.Equal(
        [
            "Décision : choisissez accorder, refuser ou clore sans décision.",
            "Motifs : ils sont obligatoires pour toute décision. Rédigez les considérants.",
            "Signataire : choisissez le signataire de la décision.",
        ], page.Texts("#resume-erreurs li"));
        Assert.Equal("Usage hospitalier uniquement.", page.Text("#Conditions_Restrictions"));
    }

    [Fact]
    public async Task TwoReviewersDecidingAtOnce_OneSucceeds_TheOtherIsToldAndKeepsWhatTheyTyped()
    {
        var (reference, id, first, _) = await UnderReviewAsync();
        var second = await portal.CreateClientAsAsync(Roles.Reviewer);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var firstPage = await Html.ParseAsync(await first.GetAsync($"/instruction/{reference}/decision"));
        var secondPage = await Html.ParseAsync(await second.GetAsync($"/instruction/{reference}/decision"));

        var results = await Task.WhenAll(
            first.SubmitAsync(firstPage, $"/instruction/{reference}/decision", new Dictionary<string, string>
                { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice.", ["SignatoryId"] = signatory.Id.ToString() }),
            second.SubmitAsync(secondPage, $"/instruction/{reference}/decision", new Dictionary<string, string>
                { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'insuffisance des données.", ["SignatoryId"] = signatory.Id.ToString() }));

        var succeeded = results.Where(r => r.StatusCode == HttpStatusCode.Redirect).ToList();
        Assert.Single(succeeded);
        var refused = await Html.ParseAsync(results.Single(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Matches("^(Cette demande n'est plus en cours d'instruction|La demande a changé depuis l'ouverture de ce formulaire)", refused.Text("#resume-erreurs li"));
        Assert.Contains(refused.Text("#Reasons"), new[] { "Considérant le bénéfice.", "Considérant l'insuffisance des données." });
        Assert.Equal(1, await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Decisions.CountAsync(d => d.ApplicationId == id)));
    }
}
