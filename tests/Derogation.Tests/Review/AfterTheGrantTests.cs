using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>
/// What follows a grant besides suspension and withdrawal: ANSM amends the conditions by a reasoned, signed measure
/// with its own letter, and asks questions about the derogation without reopening the decision.
/// </summary>
public sealed class AfterTheGrantTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly string Year = DateTime.Today.Year.ToString();

    private async Task<(string Reference, Guid Id, HttpClient Applicant, TestUser ApplicantUser, HttpClient Reviewer, TestUser Signatory)> GrantedGlobalAsync(int maximum)
    {
        var applicantUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await portal.CreateClientForAsync(applicantUser);
        var (reference, id) = await Filing.SubmitGlobalAsync(applicant);
        var (reviewer, signatory) = await portal.GrantAsync(reference, new Dictionary<string, string>
        {
            ["Conditions.ValidFrom"] = $"{Year}-01-01", ["Conditions.ValidUntil"] = $"{DateTime.Today.Year + 1}-06-30",
            ["Conditions.MaxPatients"] = maximum.ToString(), ["Conditions.FollowUp"] = "Bilan annuel des implantations.",
        });
        return (reference, id, applicant, applicantUser, reviewer, signatory);
    }

    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    private static Task<HttpResponseMessage> DeclareAsync(HttpClient client, string reference, string patients) =>
        client.SubmitAsync($"/demandes/{reference}/utilisation", new Dictionary<string, string> { ["Year"] = Year, ["Establishment"] = "CHU de Lyon", ["Patients"] = patients });

    [Fact]
    public async Task AnAmendment_IsSignedWithItsOwnLetter_ReplacesTheConditionsEverywhere_ButNeverTheValidity()
    {
        var (reference, id, applicant, applicantUser, reviewer, signatory) = await GrantedGlobalAsync(10);
        Assert.Equal(HttpStatusCode.Redirect, (await DeclareAsync(applicant, reference, "8")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await DeclareAsync(applicant, reference, "5")).StatusCode);

        // The case file offers the amendment; its form starts from the conditions in force.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.NotNull(caseFile.QuerySelector($"a[href='/instruction/{reference}/mesure?type=Amendment']"));
        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/mesure?type=Amendment"));
        Assert.Equal("10", form.QuerySelector("#Conditions_MaxPatients")!.GetAttribute("value"));
        Assert.Equal("Bilan annuel des implantations.", form.Text("#Conditions_FollowUp"));
        Assert.Contains($"au 30/06/{DateTime.Today.Year + 1} inclus", form.Text("#validite-inchangee"));

        // The same conditions again: nothing to amend, said beside the field.
        var same = await Html.ParseAsync(await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Amendment", new Dictionary<string, string>
        {
            ["Reasons"] = "Considérant la demande du fabricant.", ["SignatoryId"] = signatory.Id.ToString(),
            ["Conditions.MaxPatients"] = "10", ["Conditions.FollowUp"] = "Bilan annuel des implantations.",
        }));
        Assert.Equal(["Les conditions proposées sont celles en vigueur : modifiez au moins une condition (nombre maximal de patients, établissements, suivi ou restrictions)."],
            same.Texts("#resume-erreurs li"));

        // A new maximum and a restriction; a validity forged into the post is not read.
        var proposed = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Amendment", new Dictionary<string, string>
        {
            ["Reasons"] = "Considérant que les huit premières implantations n'ont donné lieu à aucun incident ;\nque d'autres patients sont en attente.",
            ["SignatoryId"] = signatory.Id.ToString(),
            ["Conditions.MaxPatients"] = "25", ["Conditions.FollowUp"] = "Bilan annuel des implantations.",
            ["Conditions.Restrictions"] = "Implantation par un chirurgien formé par le fabricant.",
            ["Conditions.ValidUntil"] = "2040-12-31",
        });
        Assert.Equal($"/instruction/{reference}", proposed.Headers.Location!.OriginalString);
        // Nothing changes before the signature.
        Assert.Equal(10, await InDatabaseAsync(db => db.Decisions.Where(d => d.ApplicationId == id).Select(d => d.Conditions).SingleAsync()).ContinueWith(t => t.Result.MaxPatients));
        await portal.SignAsync(reference, signatory);

        var (decision, measure, status) = await InDatabaseAsync(async db => (
            await db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == id),
            await db.GrantMeasures.AsNoTracking().SingleAsync(m => m.ApplicationId == id),
            await db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        Assert.Equal(ApplicationStatus.Granted, status);
        Assert.Equal(GrantMeasureKind.Amendment, measure.Kind);
        Assert.Equal(25, decision.Conditions.MaxPatients);
        Assert.Equal(new DateOnly(DateTime.Today.Year + 1, 6, 30), decision.Conditions.ValidUntil);
        Assert.Equal(10, measure.PreviousConditions!.MaxPatients);

        var letter = await InDatabaseAsync(db => db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == measure.LetterDocumentId));
        Assert.Equal(IssuedDocumentKind.AmendmentLetter, letter.Kind);
        var text = Regex.Replace(await PdfText.ReadAsync(letter.Content), @"\s+", " ");
        Assert.Contains("Décision portant modification des conditions d'une dérogation", text);
        Assert.Contains("Vu la décision du", text);
        Assert.Contains("Considérant que les huit premières implantations n'ont donné lieu à aucun incident ;", text);
        Assert.Contains("est modifiée comme suit. Ses conditions sont désormais les suivantes :", text);
        Assert.Contains("nombre maximal de patients : 25 ;", text);
        Assert.Contains("restrictions : Implantation par un chirurgien formé par le fabricant.", text);
        Assert.Contains("La durée de validité de la dérogation n'est pas modifiée par la présente décision.", text);
        Assert.Contains("demeurent inchangées", text);
        Assert.Contains($"Code de vérification : {measure.VerificationCode}", text);
        Assert.DoesNotContain("2040", text);

        // The applicant is told and reads it; the register shows the new conditions; five more uses now fit.
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("conditions de la dérogation modifiées", StringComparison.Ordinal));
        Assert.Contains("derogation's conditions amended by ANSM", mail.Body);
        var applicationPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Contains(applicationPage.Texts("#decision p"), p => p.StartsWith("Conditions modifiées le", StringComparison.Ordinal));
        var register = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/derogations-globales?recherche={reference}"));
        Assert.Contains("25", register.QuerySelectorAll("#registre tbody td")[5].TextContent);
        Assert.Equal(HttpStatusCode.Redirect, (await DeclareAsync(applicant, reference, "5")).StatusCode);
        var verification = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/verification/{measure.VerificationCode}"));
        Assert.Contains("Modification des conditions de la dérogation", verification.Texts("#verification dd"));
    }

    [Fact]
    public async Task AQuestionAfterTheGrant_IsAnsweredWithAFile_AndTheDecisionStaysAsItIs()
    {
        var (reference, id, applicant, applicantUser, reviewer, _) = await GrantedGlobalAsync(50);
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.NotNull(caseFile.QuerySelector($"a[href='/instruction/{reference}/demande-information']"));
        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/demande-information"));
        Assert.Null(form.QuerySelector("#Sections input[type=checkbox]"));
        Assert.NotNull(form.QuerySelector("#apres-decision"));

        // Opening a section is refused even when posted directly: the decision is not reopened.
        var forged = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information",
            [new("Message", "Transmettez le bilan des implantations."), new("Sections", "Device")]));
        Assert.StartsWith("Après la décision, une question ne rouvre aucune section", forged.Texts("#resume-erreurs li").Single(), StringComparison.Ordinal);
        Assert.Equal(0, await InDatabaseAsync(db => db.InformationRequests.CountAsync(r => r.ApplicationId == id)));

        var asked = await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information",
            [new("Message", "Transmettez le bilan des implantations du premier semestre."), new("AnswerDeadline", DateTime.Today.AddDays(30).ToString("yyyy-MM-dd"))]);
        Assert.Equal($"/instruction/{reference}", asked.Headers.Location!.OriginalString);
        Assert.Equal(ApplicationStatus.Granted, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.StartsWith($"Dérogation {reference} : l'ANSM demande des informations", StringComparison.Ordinal));
        Assert.Contains("La décision n'est pas remise en cause.", mail.Body);
        // A second question while the first waits is refused.
        var second = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information", [new("Message", "Autre question.")]));
        Assert.StartsWith("Une question attend déjà une réponse", second.Texts("#resume-erreurs li").Single(), StringComparison.Ordinal);

        // The register still says in force while the question waits.
        var register = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/derogations-globales?recherche={reference}"));
        Assert.Equal("En vigueur", register.Text("#registre tbody .fr-badge"));

        // The applicant answers with a text and a file, checked like a document.
        var applicationPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.NotNull(applicationPage.QuerySelector($"a[href='/demandes/{reference}/reponse']"));
        Assert.Equal("Suivi après la décision", applicationPage.Text(".information-request .fr-badge"));
        var answerPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/reponse"));
        Assert.Null(answerPage.QuerySelector("#sections-modifiables"));
        var token = answerPage.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Bilan joint : 12 implantations, aucun incident."), "Answer" },
            { new ByteArrayContent(WizardDocuments.Pdf("Bilan du premier semestre : 12 implantations.")), "Attachment", "bilan-s1.pdf" },
        };
        var answered = await applicant.PostAsync($"/demandes/{reference}/reponse", content);
        Assert.Equal($"/demandes/{reference}", answered.Headers.Location!.OriginalString);

        var (request, versions, status) = await InDatabaseAsync(async db => (
            await db.InformationRequests.AsNoTracking().SingleAsync(r => r.ApplicationId == id),
            await db.ApplicationVersions.CountAsync(v => v.ApplicationId == id),
            await db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        Assert.True(request.AfterDecision);
        Assert.Equal("Bilan joint : 12 implantations, aucun incident.", request.Answer);
        Assert.Null(request.AnswerVersion);
        Assert.Equal(1, versions);
        Assert.Equal(ApplicationStatus.Granted, status);

        // The reviewer reads the answer and downloads the file from the case file.
        await portal.WaitForMailAsync(m => m.Subject == $"Dérogation {reference} : réponse du demandeur (suivi)");
        var answeredCase = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var link = answeredCase.QuerySelector(".information-request a.reponse-fichier")!;
        Assert.Equal("bilan-s1.pdf", link.TextContent.Trim());
        var file = await reviewer.GetAsync(link.GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        Assert.Contains("12 implantations", await PdfText.ReadAsync(await file.Content.ReadAsByteArrayAsync()));
        Assert.StartsWith("Réponse du ", answeredCase.Text(".information-request h4"));
        Assert.DoesNotContain("version", answeredCase.Text(".information-request h4"));
        // Another organisation neither answers nor downloads.
        var other = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/demandes/{reference}/reponse")).StatusCode);
    }

    [Fact]
    public async Task BeforeTheDecision_AFileCannotTravelWithTheAnswer_AndAnInfectedOneIsRefusedAfterIt()
    {
        var (reference, id, applicant, _, reviewer, _) = await GrantedGlobalAsync(50);
        await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information", [new("Message", "Transmettez la notice révisée.")]);
        var token = (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/reponse"))).QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var infected = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Notice jointe."), "Answer" },
            { new ByteArrayContent(WizardDocuments.Pdf("Notice").Concat(System.Text.Encoding.Latin1.GetBytes("\n% ")).Concat(Derogation.Core.Documents.LocalClamd.Eicar).ToArray()), "Attachment", "notice.pdf" },
        };
        var refused = await Html.ParseAsync(await applicant.PostAsync($"/demandes/{reference}/reponse", infected));
        Assert.StartsWith("Fichier : l'antivirus y a détecté", refused.Texts("#resume-erreurs li").Single(), StringComparison.Ordinal);
        Assert.Contains("Eicar-Test-Signature", refused.Texts("#resume-erreurs li").Single());
        Assert.Equal("Notice jointe.", refused.Text("#Answer"));
        Assert.Null(await InDatabaseAsync(db => db.InformationRequests.Where(r => r.ApplicationId == id).Select(r => r.AnsweredAt).SingleAsync()));

        // During the review a file goes in the documents step: one posted with the answer is refused, nothing is sent.
        var (underReview, underReviewId) = await Filing.SubmitGlobalAsync(applicant);
        await Filing.TakeAsync(reviewer, underReview);
        await reviewer.SubmitPairsAsync($"/instruction/{underReview}/demande-information", [new("Message", "Précisez."), new("Sections", "Device")]);
        var reviewToken = (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{underReview}/reponse"))).QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var during = new MultipartFormDataContent
        {
            { new StringContent(reviewToken), "__RequestVerificationToken" },
            { new StringContent("Précisé."), "Answer" },
            { new ByteArrayContent(WizardDocuments.Pdf("Notice")), "Attachment", "notice.pdf" },
        };
        var notExpected = await Html.ParseAsync(await applicant.PostAsync($"/demandes/{underReview}/reponse", during));
        Assert.StartsWith("Pendant l'instruction, les fichiers s'ajoutent dans l'étape « Documents »", notExpected.Texts("#resume-erreurs li").Single(), StringComparison.Ordinal);
        Assert.Equal(ApplicationStatus.InformationRequested, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == underReviewId).Select(a => a.Status).SingleAsync()));
    }
}
