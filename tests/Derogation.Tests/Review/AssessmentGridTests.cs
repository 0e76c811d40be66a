using System.Net;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>A grant or a refusal is argued criterion by criterion: the grid is filled in before the proposal goes to a signatory.</summary>
public sealed class AssessmentGridTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task AProposal_IsRefusedWhileTheGridIsIncomplete_ThenGoesThrough_AndTheGridIsLockedOnceSigned()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var grant = new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidUntil"] = "2027-12-31", ["SignatoryId"] = signatory.Id.ToString(),
        };

        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        Assert.StartsWith("La grille d'évaluation a encore 6 critère(s) à renseigner", form.Text("#grille-incomplete"), StringComparison.Ordinal);
        var refused = await reviewer.SubmitAsync(form, $"/instruction/{reference}/decision", grant);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedPage = await Html.ParseAsync(refused);
        Assert.Contains("La grille d'évaluation n'est pas complète", refusedPage.Text("#resume-erreurs"), StringComparison.Ordinal);
        Assert.Equal("Considérant l'absence d'alternative.", refusedPage.QuerySelector("textarea[name=Reasons]")!.TextContent.Trim());
        Assert.False(await ProposedAsync(id));

        // Someone who does not hold the case cannot fill it in, even by posting the form; a signatory does not see the page.
        var colleague = await portal.CreateClientAsAsync(Roles.Reviewer);
        var colleaguePage = await Html.ParseAsync(await colleague.GetAsync($"/instruction/{reference}/grille"));
        Assert.NotNull(colleaguePage.QuerySelector("#grille-lecture"));
        Assert.Null(colleaguePage.QuerySelector("main form button[type=submit]"));
        var forged = await Html.ParseAsync(await colleague.SubmitPairsAsync($"/instruction/{reference}/grille",
            [new("Grid[0].Criterion", "Benefit"), new("Grid[0].Opinion", "Unfavourable"), new("Grid[0].Comment", "Forgé")]));
        Assert.Contains("Seul l'instructeur qui détient la demande", forged.Text("#resume-erreurs"), StringComparison.Ordinal);
        Assert.Equal(0, await EntriesAsync(id));
        Assert.Equal(HttpStatusCode.NotFound, (await (await portal.CreateClientForAsync(signatory)).GetAsync($"/instruction/{reference}/grille")).StatusCode);

        // Part of the grid: saved, and the case file says what is left.
        var partial = await reviewer.SubmitAsync($"/instruction/{reference}/grille", new Dictionary<string, string>
        {
            ["Grid[0].Opinion"] = "Favourable", ["Grid[0].Comment"] = "Bénéfice établi pour les patients concernés.",
            ["Grid[2].Opinion"] = "Reserved",
        });
        Assert.Equal(HttpStatusCode.Redirect, partial.StatusCode);
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("5 critère(s) sur 6 à renseigner", caseFile.Text("#grille-etat"));
        Assert.Equal("Favorable", caseFile.QuerySelectorAll("#grille-tableau tbody tr")[0].QuerySelectorAll("td")[0].TextContent.Trim());
        Assert.Equal(HttpStatusCode.OK, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", grant)).StatusCode);
        Assert.False(await ProposedAsync(id));

        await reviewer.CompleteGridAsync(reference);
        Assert.Equal("Complète", (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).Text("#grille-etat"));
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", grant)).StatusCode);
        await portal.SignAsync(reference, signatory);

        // Signed: the grid is kept as it was.
        var locked = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/grille"));
        Assert.StartsWith("La décision est signée", locked.Text("#grille-lecture"), StringComparison.Ordinal);
        var late = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/grille",
            [new("Grid[0].Criterion", "Benefit"), new("Grid[0].Opinion", "Unfavourable"), new("Grid[0].Comment", "Après coup")], tokenPage: $"/instruction/{reference}"));
        Assert.Contains("La décision est signée", late.Text("#resume-erreurs"), StringComparison.Ordinal);

        // Printed for the file.
        var pdf = await reviewer.GetAsync($"/instruction/{reference}?handler=AssessmentPdf");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        var text = await PdfText.ReadAsync(await pdf.Content.ReadAsByteArrayAsync());
        Assert.Contains("Grille d'évaluation de la demande de dérogation", text, StringComparison.Ordinal);
        Assert.Contains("Intérêt pour la santé publique", text, StringComparison.Ordinal);
        Assert.Contains("Plan de marquage CE", text, StringComparison.Ordinal);
        Assert.Contains("Apprécié au vu du dossier.", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Après coup", text, StringComparison.Ordinal);
        Assert.Contains("Grille complète.", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnIndividualGrid_HasNoCeMarkingPlan_EvenForged_AndAClosureNeedsNoGrid()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var page = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/grille"));
        Assert.Equal(5, page.QuerySelectorAll("input[name$='.Criterion']").Length);
        Assert.Null(page.QuerySelector("#critere-CeMarkingPlan"));
        await reviewer.SubmitPairsAsync($"/instruction/{reference}/grille",
            [new("Grid[0].Criterion", "CeMarkingPlan"), new("Grid[0].Opinion", "Favourable"), new("Grid[0].Comment", "Forgé")]);
        Assert.Equal(0, await EntriesAsync(id));

        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "CloseWithoutDecision", ["Reasons"] = "Le patient a été orienté vers un essai clinique.", ["SignatoryId"] = signatory.Id.ToString(),
        })).StatusCode);
        Assert.True(await ProposedAsync(id));
    }

    private async Task<bool> ProposedAsync(Guid applicationId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Proposals.AnyAsync(p => p.ApplicationId == applicationId);
    }

    private async Task<int> EntriesAsync(Guid applicationId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().AssessmentEntries.CountAsync(e => e.ApplicationId == applicationId);
    }
}
