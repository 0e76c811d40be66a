using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>A signed letter is never edited: a rectifying decision, proposed and signed like any other, corrects it.</summary>
public sealed class RectificationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    private HttpClient _manufacturer = null!;

    private async Task<(string Reference, Guid Id, HttpClient Reviewer, Guid ReviewerId, TestUser Signatory)> GrantedGlobalAsync()
    {
        _manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(_manufacturer);
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory, fullName: "Hélène Marchand");
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative marquée CE.", ["Conditions.ValidUntil"] = "2027-12-31",
            ["Conditions.MaxPatients"] = "40", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);
        return (reference, id, reviewer, reviewerUser.Id, signatory);
    }

    [Fact]
    public async Task ARectifyingDecision_NamesTheLetterItRectifies_AndTheOldCodePointsToTheNewLetter_AndTheRegisterShowsTheRectifiedContent()
    {
        var (reference, id, reviewer, _, signatory) = await GrantedGlobalAsync();
        var decision = await InDatabaseAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == id));
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var link = caseFile.QuerySelector($"#decision a[href*='/rectification?lettre={decision.LetterDocumentId}']");
        Assert.NotNull(link);

        var form = await Html.ParseAsync(await reviewer.GetAsync(link.GetAttribute("href")!));
        Assert.Equal("2027-12-31", form.QuerySelector("#Conditions_ValidUntil")!.GetAttribute("value"));
        Assert.Contains(decision.VerificationCode!, form.Text("#lettre-rectifiee"), StringComparison.Ordinal);
        var proposed = await reviewer.SubmitAsync(form, link.GetAttribute("href")!, new Dictionary<string, string>
        {
            ["Reasons"] = "Considérant que la décision comporte une erreur matérielle dans sa date de fin de validité.",
            ["Correction"] = "La dérogation est valable jusqu'au 30 juin 2027 inclus, et non jusqu'au 31 décembre 2027.",
            ["Conditions.ValidUntil"] = "2027-06-30", ["Conditions.MaxPatients"] = "40", ["SignatoryId"] = signatory.Id.ToString(),
        });
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        var anonymous = portal.CreateAnonymousClient();
        // Until it is signed, nothing changes for anyone.
        using (var before = JsonDocument.Parse(await anonymous.GetStringAsync($"/derogations-globales.json?recherche={reference}")))
        {
            Assert.Equal("2027-12-31", before.RootElement.GetProperty("derogations")[0].GetProperty("validUntil").GetString());
        }

        Assert.Null((await Html.ParseAsync(await anonymous.GetAsync($"/verification/{decision.VerificationCode}"))).QuerySelector(".rectifiee-par"));

        await portal.SignAsync(reference, signatory);
        var rectification = await InDatabaseAsync(db => db.Proposals.AsNoTracking().SingleAsync(p => p.ApplicationId == id && p.Act == ProposalAct.Rectification));
        Assert.Equal(ProposalState.Signed, rectification.State);
        var letter = await InDatabaseAsync(db => db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == rectification.LetterDocumentId));
        var text = Regex.Replace(await PdfText.ReadAsync(letter.Content), @"\s+", " ");
        var grantedOn = Derogation.Core.FrenchTime.InParis(decision.DecidedAt).ToString("d MMMM yyyy", new System.Globalization.CultureInfo("fr-FR"));
        Assert.Contains($"Décision portant rectification de la décision du {grantedOn}", text);
        Assert.Contains($"La présente décision rectifie la décision du {grantedOn} relative à la demande de dérogation globale n° {reference} (code de vérification {decision.VerificationCode}).", text);
        Assert.Contains("La dérogation est valable jusqu'au 30 juin 2027 inclus, et non jusqu'au 31 décembre 2027.", text);
        Assert.Contains("jusqu'au 30 juin 2027 inclus", text);
        Assert.Contains($"Les autres dispositions de la décision du {grantedOn} demeurent inchangées.", text);
        Assert.Contains($"Code de vérification : {rectification.VerificationCode}", text);
        Assert.Contains("Hélène Marchand", text);

        // The old letter's page says it was rectified and leads to the new one, which verifies too.
        var old = await Html.ParseAsync(await anonymous.GetAsync($"/verification/{decision.VerificationCode}"));
        Assert.Contains($"code {rectification.VerificationCode}.", old.Text(".rectifiee-par"), StringComparison.Ordinal);
        Assert.Equal($"/verification/{rectification.VerificationCode}", old.QuerySelector(".rectifiee-par a")!.GetAttribute("href"));
        var rectifying = await Html.ParseAsync(await anonymous.GetAsync($"/verification/{rectification.VerificationCode}"));
        Assert.Equal("Décision rectificative", rectifying.Texts("#verification dd")[2]);
        Assert.Equal(letter.Sha256, rectifying.Text("#empreinte"));

        // The register and the case file show the rectified content; the first letter stays as issued.
        using (var after = JsonDocument.Parse(await anonymous.GetStringAsync($"/derogations-globales.json?recherche={reference}")))
        {
            Assert.Equal("2027-06-30", after.RootElement.GetProperty("derogations")[0].GetProperty("validUntil").GetString());
        }

        var rectifiedCaseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("30/06/2027", rectifiedCaseFile.Text("#conditions-en-vigueur"), StringComparison.Ordinal);
        Assert.Contains(rectification.VerificationCode!, rectifiedCaseFile.Text("#rectifications + ul"), StringComparison.Ordinal);
        Assert.Equal(new DateOnly(2027, 12, 31), rectification.PreviousConditions!.ValidUntil);
        // The manufacturer finds the rectifying letter beside the decision and downloads it as issued.
        var applicationPage = await Html.ParseAsync(await _manufacturer.GetAsync($"/demandes/{reference}"));
        var download = applicationPage.QuerySelector($"#decision .rectification a[href*='document={rectification.LetterDocumentId}']");
        Assert.NotNull(download);
        Assert.Equal(letter.Content, await _manufacturer.GetByteArrayAsync(download.GetAttribute("href")));
        var first = await InDatabaseAsync(db => db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == decision.LetterDocumentId));
        Assert.Contains("31 décembre 2027", Regex.Replace(await PdfText.ReadAsync(first.Content), @"\s+", " "), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARectification_StatesTheCorrection_AndNamesALetterOfThisApplication()
    {
        var (reference, id, _, reviewerId, signatory) = await GrantedGlobalAsync();
        var (_, otherId, _, _, _) = await GrantedGlobalAsync();
        var letterId = await InDatabaseAsync(db => db.Decisions.Where(d => d.ApplicationId == id).Select(d => d.LetterDocumentId).SingleAsync());
        var otherLetter = await InDatabaseAsync(db => db.Decisions.Where(d => d.ApplicationId == otherId).Select(d => d.LetterDocumentId).SingleAsync());
        await using var scope = portal.Services.CreateAsyncScope();
        var proposals = scope.ServiceProvider.GetRequiredService<Proposals>();
        var input = new ProposalInput(ProposalAct.Rectification, null, "Considérant une erreur matérielle.", new DecisionConditions { ValidUntil = new DateOnly(2027, 12, 31) },
            signatory.Id, Correction: "  ", RectifiesDocumentId: letterId);
        Assert.Equal(ProposalError.CorrectionRequired, (await proposals.ProposeAsync(reference, input, reviewerId, null)).Error);
        Assert.Equal(ProposalError.LetterNotFound, (await proposals.ProposeAsync(reference, input with { Correction = "Lire : 40 patients.", RectifiesDocumentId = otherLetter },
            reviewerId, null)).Error);
        // A global grant keeps an end date, whatever the form sent.
        Assert.Equal(ProposalError.ValidityRequired, (await proposals.ProposeAsync(reference, input with { Correction = "Lire : 40 patients.", Conditions = new DecisionConditions() },
            reviewerId, null)).Error);
        Assert.False(await InDatabaseAsync(db => db.Proposals.AnyAsync(p => p.ApplicationId == id && p.Act == ProposalAct.Rectification)));
    }
}
