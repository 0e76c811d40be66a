using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

/// <summary>
/// The prescriber's part (docs/journeys/individual-application.md): a single-use link by e-mail, no account, a form
/// under the patient rules, the statement frozen with the application and standing for the uploaded justification.
/// </summary>
public sealed class PrescriberPartTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    public static Dictionary<string, string> Statement(string? justification = null) => new()
    {
        ["Input.Name"] = "Dr Claire Fontaine", ["Input.Specialty"] = "Neurologie", ["Input.Rpps"] = "10001234567",
        ["Input.Establishment"] = "CHU de Nulle-Part",
        ["Input.MedicalJustification"] = justification ?? "Patient D. É. atteint d'une adrénoleucodystrophie évolutive ; aucun test marqué CE ne détecte ce variant, " +
            "dont dépend l'indication d'une greffe de cellules souches.",
        ["Input.PatientInformedAndConsented"] = "true",
    };

    private Task<Application> DraftAsync(Guid id) => InScopeAsync(services =>
        services.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id));

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    /// <summary>The applicant sends the link from its draft; the prescriber's e-mail is read from the pickup folder.</summary>
    public static async Task<string> InviteAsync(PortalFactory portal, HttpClient applicant, Guid draftId, string email)
    {
        var sent = await applicant.SubmitAsync($"/demandes/{draftId}/prescripteur", new Dictionary<string, string> { ["Email"] = email });
        Xunit.Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        var mail = await portal.WaitForMailAsync(m => m.To == email && m.Subject.StartsWith("Justification médicale à compléter", StringComparison.Ordinal));
        return mail.Link("/prescripteur/").PathAndQuery;
    }

    [Fact]
    public async Task ThePrescriberWritesTheirPart_Once_UnderThePatientRules_AndItStandsForTheUploadedJustification()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(applicant);

        var invalid = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{id}/prescripteur", new Dictionary<string, string> { ["Email"] = "dr.fontaine@chu" }));
        Assert.StartsWith("Adresse e-mail du prescripteur : saisissez une adresse complète", invalid.Text("#Email-messages"), StringComparison.Ordinal);
        Assert.Equal("dr.fontaine@chu", invalid.QuerySelector("#Email")!.GetAttribute("value"));

        var email = $"dr-{Guid.NewGuid():N}@chu.example";
        var link = await InviteAsync(portal, applicant, id, email);
        Assert.Contains("en attente, valable jusqu'au", (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{id}/prescripteur"))).Text("#liens-prescripteur"), StringComparison.Ordinal);
        // The token is in the e-mail only: the database holds its hash.
        var token = link.Split('/')[^1];
        Assert.Equal(43, token.Length);
        Assert.False(await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().PrescriberInvitations.AnyAsync(i => i.TokenHash == token)));

        // The prescriber sees the device and the patient's initials — nothing else of the application.
        var prescriber = portal.CreateAnonymousClient();
        var form = await Html.ParseAsync(await prescriber.GetAsync(link));
        Assert.Equal("initiales D. É., né(e) en 1962", form.Text("#patient-concerne"));
        Assert.DoesNotContain("Décision thérapeutique attendue", form.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal("Dr Claire Fontaine", form.QuerySelector("#Input_Name")!.GetAttribute("value"));

        // Every problem named, nothing saved, what was typed kept, the link still valid.
        var refused = await Html.ParseAsync(await prescriber.SubmitAsync(form, link, new Dictionary<string, string>(Statement(
            "Mme Dupont Élise, née le 12/03/1962, ne peut attendre.")) { ["Input.Rpps"] = "1234", ["Input.PatientInformedAndConsented"] = "false" }));
        var errors = refused.Texts("#resume-erreurs li");
        Assert.Contains(errors, e => e.StartsWith("Numéro RPPS : saisissez les 11 chiffres", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Justification médicale", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("Attestation d'information et de consentement du patient", StringComparison.Ordinal));
        Assert.Equal("1234", refused.QuerySelector("#Input_Rpps")!.GetAttribute("value"));
        Assert.Null((await DraftAsync(id)).Answers.PrescriberStatement);

        var done = await Html.ParseAsync(await prescriber.SubmitAsync(form, link, Statement()));
        Assert.StartsWith("Merci. Votre justification médicale", done.Text("#partie-prescripteur-enregistree"), StringComparison.Ordinal);
        var statement = (await DraftAsync(id)).Answers.PrescriberStatement!;
        Assert.Equal("10001234567", statement.Rpps);
        Assert.True(statement.PatientInformedAndConsented);
        await portal.WaitForMailAsync(m => m.Subject.Contains("le prescripteur a rempli sa partie", StringComparison.Ordinal) && m.Body.Contains($"/demandes/{id}/documents", StringComparison.Ordinal));

        // The link works once: neither opened nor posted again.
        var again = await prescriber.GetAsync(link);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.StartsWith("Ce lien a déjà servi", (await Html.ParseAsync(again)).Text("#lien-epuise"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await prescriber.SubmitAsync(form, link, Statement("Autre texte."))).StatusCode);
        Assert.Equal(statement.MedicalJustification, (await DraftAsync(id)).Answers.PrescriberStatement!.MedicalJustification);

        // The uploaded justification is no longer required: the documents step completes without it.
        var documents = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{id}/documents"));
        Assert.StartsWith("Remplacé par la partie remplie par le prescripteur", documents.Text("#Input_DocumentMedicalJustification .justification-remplacee"), StringComparison.Ordinal);
        foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription" })
        {
            await WizardDocuments.UploadAsync(applicant, id, type, $"{type}.pdf", new ByteArrayContent(WizardDocuments.Pdf(type)));
        }

        var continued = await applicant.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
        Assert.Equal($"/demandes/{id}/declarations", continued.Headers.Location?.OriginalString);
        await applicant.SubmitAsync($"/demandes/{id}/declarations", new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "declarations").Fields) { ["action"] = "continuer" });
        var submitted = await applicant.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];

        var receipt = Regex.Replace(await PdfText.ReadAsync(await (await applicant.GetAsync($"/demandes/{reference}/recepisse")).Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains("Partie du prescripteur rempli par le prescripteur, Dr Claire Fontaine (Neurologie, RPPS 10001234567)", receipt, StringComparison.Ordinal);
        var caseFile = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync($"/instruction/{reference}"));
        Assert.StartsWith("Rempli par le prescripteur le", caseFile.Text(".partie-prescripteur .fr-badge"), StringComparison.Ordinal);
        Assert.Contains("aucun test marqué CE ne détecte ce variant", caseFile.Text(".partie-prescripteur"), StringComparison.Ordinal);
        // Frozen with the submitted version.
        var version1 = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().ApplicationVersions.AsNoTracking()
            .Where(v => v.ApplicationId == id && v.Version == 1).Select(v => v.Answers).SingleAsync());
        Assert.Equal("10001234567", version1.PrescriberStatement?.Rpps);
    }

    [Fact]
    public async Task TheProfessionalsStepsButton_SavesWhatWasTyped_ThenOpensThePrescribersPart()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(applicant);
        var typed = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "professionnels").Fields)
        {
            ["Input.PrescriberEmail"] = "new.prescriber@chu.example", ["Input.DirectorName"] = "", ["action"] = "prescripteur",
        };
        var response = await applicant.SubmitAsync($"/demandes/{id}/professionnels", typed, "form#formulaire-etape");
        Assert.Equal($"/demandes/{id}/prescripteur", response.Headers.Location?.OriginalString);
        Assert.Equal("new.prescriber@chu.example", (await DraftAsync(id)).Answers.HealthProfessionals.PrescriberEmail);
        var page = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{id}/prescripteur"));
        Assert.Equal("new.prescriber@chu.example", page.QuerySelector("#Email")!.GetAttribute("value"));
    }

    [Fact]
    public async Task ALinkThatExpired_OrWasReplaced_OrWhoseDraftWasSubmitted_OpensNothing_AndAnotherOrganisationCannotSendOne()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(applicant);
        var first = await InviteAsync(portal, applicant, id, $"first-{Guid.NewGuid():N}@chu.example");
        var second = await InviteAsync(portal, applicant, id, $"second-{Guid.NewGuid():N}@chu.example");
        var prescriber = portal.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.NotFound, (await prescriber.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await prescriber.GetAsync(second)).StatusCode);

        await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().PrescriberInvitations.Where(i => i.ApplicationId == id)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));
        Assert.Equal(HttpStatusCode.NotFound, (await prescriber.GetAsync(second)).StatusCode);

        // Another organisation's user, posting the draft's id directly.
        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var forged = await stranger.SubmitPairsAsync($"/demandes/{id}/prescripteur", [new("Email", "dr@chu.example")], tokenPage: "/demandes/individuelle/nouvelle");
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        Assert.Equal(2, await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().PrescriberInvitations.CountAsync(i => i.ApplicationId == id)));
    }

    [Fact]
    public async Task AReviewersRequest_CanBeAddressedToThePrescriber_WhoCompletesTheirPartWhileItIsOpen()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);
        var asked = await reviewer.SubmitAsync($"/instruction/{reference}/demande-information", new Dictionary<string, string>
        {
            ["Message"] = "Précisez pourquoi une greffe ne peut pas attendre le marquage CE.", ["AskPrescriber"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var mail = await portal.WaitForMailAsync(m => m.To == "c.fontaine@chu.example" && m.Subject.Contains(reference, StringComparison.Ordinal)
                                                      && m.Subject.Contains("prescripteur", StringComparison.Ordinal));
        var link = mail.Link("/prescripteur/").PathAndQuery;

        var prescriber = portal.CreateAnonymousClient();
        var form = await Html.ParseAsync(await prescriber.GetAsync(link));
        Assert.Equal("Précisez pourquoi une greffe ne peut pas attendre le marquage CE.", form.Text("#question-ansm .fr-callout__text"));
        Assert.Equal(reference, form.Text("#reference-demande"));
        var done = await prescriber.SubmitAsync(form, link, Statement("La greffe doit avoir lieu avant la progression des lésions, attendue sous trois mois."));
        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        await portal.WaitForMailAsync(m => m.To == reviewerUser.Email && m.Subject.Contains("réponse du prescripteur", StringComparison.Ordinal));

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("avant la progression des lésions", caseFile.Text(".partie-prescripteur"), StringComparison.Ordinal);

        // The applicant's answer freezes a version with the prescriber's statement in it.
        Assert.Equal(HttpStatusCode.Redirect, (await applicant.SubmitAsync($"/demandes/{reference}/reponse", new Dictionary<string, string> { ["Answer"] = "Voir la partie du prescripteur." })).StatusCode);
        var version2 = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().ApplicationVersions.AsNoTracking()
            .Where(v => v.ApplicationId == id && v.Version == 2).Select(v => v.Answers).SingleAsync());
        Assert.StartsWith("La greffe doit avoir lieu", version2.PrescriberStatement!.MedicalJustification, StringComparison.Ordinal);

        // A request on an application without a prescriber's address (a global one) cannot be addressed to one.
        var (global, _) = await Filing.SubmitGlobalAsync(applicant);
        await Filing.TakeAsync(reviewer, global);
        var refused = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{global}/demande-information",
            [new("Message", "Question."), new("AskPrescriber", "true")], tokenPage: $"/instruction/{global}/demande-information"));
        Assert.StartsWith("La demande ne donne pas d'adresse e-mail de prescripteur", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
    }
}
