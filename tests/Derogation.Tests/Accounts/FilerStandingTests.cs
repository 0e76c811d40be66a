using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

/// <summary>
/// Who files is established by the server: the filing organisation and the mandate in force, never a posted value;
/// the mandate is checked at every save and at submission; the manufacturer receives a copy of what follows a
/// consultant's filing.
/// </summary>
public sealed class FilerStandingTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(TestUser Consultant, TestUser Manufacturer, Mandate Mandate)> MandatedAsync()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        await using var scope = portal.Services.CreateAsyncScope();
        var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
        var (_, mandate) = await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        return (consultant, manufacturer, mandate!);
    }

    /// <summary>A consultant's new individual draft for <paramref name="manufacturer"/>; its id.</summary>
    private static async Task<Guid> StartDraftAsync(HttpClient consultant, TestUser manufacturer)
    {
        var started = await consultant.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string> { ["ManufacturerId"] = manufacturer.OrganisationId.ToString() });
        return Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
    }

    private async Task<Application> ApplicationAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private static Dictionary<string, string> Parties(string filedAs) =>
        new(WizardFill.Individual.Single(s => s.Slug == "parties").Fields) { ["Input.FiledAs"] = filedAs, ["action"] = "continuer" };

    [Fact]
    public async Task AConsultancyPostingFiledAsManufacturer_IsStoredAsConsultant_AndItsMandateIsAttachedAndOnTheReceipt()
    {
        var (consultant, manufacturer, mandate) = await MandatedAsync();
        var client = await portal.CreateClientForAsync(consultant);
        var id = await StartDraftAsync(client, manufacturer);

        // The forged value, posted directly.
        var saved = await client.SubmitPairsAsync($"/demandes/{id}/parties", Parties("Manufacturer").Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.Equal(FiledAs.Consultant, (await ApplicationAsync(id)).Answers.Parties.FiledAs);

        foreach (var (slug, fields) in WizardFill.Individual.Skip(1))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        var application = await ApplicationAsync(id);
        Assert.Equal(mandate.Id, application.MandateId);
        var attached = Assert.Single(application.Answers.Documents, d => d.Type == Derogation.Core.Documents.DocumentType.Mandate);
        Assert.True(attached.AttachedByPortal);

        // The mandate is a real document the reviewer opens: the portal's attestation of the mandate granted in the portal.
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var file = await reviewer.GetAsync($"/instruction/{reference}?handler=Document&document={attached.Id}");
        Assert.Equal(HttpStatusCode.OK, file.StatusCode);
        var attestation = System.Text.RegularExpressions.Regex.Replace(await PdfText.ReadAsync(await file.Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains("Attestation de mandat", attestation, StringComparison.Ordinal);
        Assert.Contains("accordé dans le portail par le fabricant", attestation, StringComparison.Ordinal);

        // The receipt says in what capacity, under which mandate, and lists the mandate among the documents.
        var receipt = System.Text.RegularExpressions.Regex.Replace(await PdfText.ReadAsync(await (await client.GetAsync($"/demandes/{reference}/recepisse")).Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains("En qualité de Consultant", receipt, StringComparison.Ordinal);
        Assert.Contains("Mandat accordé dans le portail par le fabricant", receipt, StringComparison.Ordinal);
        Assert.Contains("Mandat du fabricant (joint automatiquement par le portail)", receipt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AManufacturerPostingFiledAsConsultant_IsStoredAsManufacturer()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        await client.SubmitPairsAsync($"/demandes/{id}/parties", Parties("Consultant").Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
        Assert.Equal(FiledAs.Manufacturer, (await ApplicationAsync(id)).Answers.Parties.FiledAs);
    }

    [Fact]
    public async Task AMandateRevokedMidDraft_StopsEverySave_AndTheSubmission_KeepingTheDraft()
    {
        var (consultant, manufacturer, mandate) = await MandatedAsync();
        var client = await portal.CreateClientForAsync(consultant);
        var id = await StartDraftAsync(client, manufacturer);
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/parties", Parties("Consultant"))).StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.Equal(MandateError.None, await scope.ServiceProvider.GetRequiredService<MandateService>().RevokeAsync(mandate.Id, manufacturer.OrganisationId, manufacturer.Id));
        }

        var device = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "dispositif").Fields) { ["action"] = "continuer" };
        var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/dispositif", device));
        Assert.StartsWith("Le mandat de votre cabinet pour le fabricant", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal(device["Input.TradeName"], refused.QuerySelector("#Input_TradeName")!.GetAttribute("value"));
        Assert.Null((await ApplicationAsync(id)).Answers.Device.TradeName);

        // Submission, posted directly, is refused too.
        var submitted = await Html.ParseAsync(await client.SubmitPairsAsync($"/demandes/{id}/recapitulatif?handler=Submit", [], tokenPage: $"/demandes/{id}/parties"));
        Assert.StartsWith("Le mandat de votre cabinet pour le fabricant", submitted.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal(ApplicationStatus.Draft, (await ApplicationAsync(id)).Status);
    }

    [Fact]
    public async Task AfterAConsultantsFiling_TheManufacturersUsersReceiveTheRequest_TheAnswer_AndTheDecision()
    {
        var (consultant, manufacturer, _) = await MandatedAsync();
        var consultantClient = await portal.CreateClientForAsync(consultant);
        var (reference, _) = await Filing.SubmitIndividualAsync(consultantClient, manufacturerId: manufacturer.OrganisationId);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var requested = await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information", [new("Message", "Précisez le lot utilisé.")]);
        Assert.True(requested.StatusCode == HttpStatusCode.Redirect, string.Join(" | ", (await Html.ParseAsync(requested)).Texts("#resume-erreurs li")));
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("demande des informations", StringComparison.Ordinal));

        var answered = await consultantClient.SubmitAsync($"/demandes/{reference}/reponse", new Dictionary<string, string> { ["Answer"] = "Lot n° 2024-117." });
        Assert.Equal(HttpStatusCode.Redirect, answered.StatusCode);
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("réponse envoyée", StringComparison.Ordinal));

        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["SignatoryId"] = signatory.Id.ToString() });
        await portal.SignAsync(reference, signatory);
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("décision", StringComparison.Ordinal));

        // A measure after the grant, and an incident reported by the prescriber: the manufacturer is told of both.
        var suspension = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Suspension",
            new Dictionary<string, string> { ["Reasons"] = "Considérant un signal de vigilance.", ["SignatoryId"] = signatory.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, suspension.StatusCode);
        await portal.SignAsync(reference, signatory);
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal)
                                           && m.Subject.Contains("suspendue", StringComparison.Ordinal));
        var report = await portal.CreateAnonymousClient().SubmitAsync("/signalements/nouveau", new Dictionary<string, string>
        {
            ["Input.DerogationReference"] = reference, ["Input.ReporterRole"] = "Prescriber", ["Input.ReporterName"] = "Dr Claire Fontaine",
            ["Input.ReporterEmail"] = "c.fontaine@chu.example", ["Input.EventYear"] = "2026",
            ["Input.Description"] = "Déconnexion du capteur après 48 heures d'utilisation ; le dispositif a été remplacé.",
        });
        Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("Signalement", StringComparison.Ordinal)
                                           && m.Subject.Contains(reference, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ADraftStrandedByARevokedMandate_IsTheManufacturersToTakeOver_AndOnlyThen()
    {
        var (consultant, manufacturer, mandate) = await MandatedAsync();
        var consultantClient = await portal.CreateClientForAsync(consultant);
        var id = await StartDraftAsync(consultantClient, manufacturer);
        await consultantClient.SubmitAsync($"/demandes/{id}/parties", Parties("Consultant"));
        await consultantClient.SubmitAsync($"/demandes/{id}/dispositif",
            new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "dispositif").Fields) { ["action"] = "continuer" });
        var manufacturerClient = await portal.CreateClientForAsync(manufacturer);

        // While the mandate holds, the draft is the consultancy's: nothing to take over, even posted directly.
        Assert.Empty((await Html.ParseAsync(await manufacturerClient.GetAsync("/demandes"))).QuerySelectorAll("#brouillons-a-reprendre"));
        var early = await manufacturerClient.SubmitPairsAsync($"/demandes?handler=TakeOver&id={id}", [], tokenPage: "/demandes/individuelle/nouvelle");
        Assert.Equal(HttpStatusCode.NotFound, early.StatusCode);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<MandateService>().RevokeAsync(mandate.Id, manufacturer.OrganisationId, manufacturer.Id);
        }

        // Another manufacturer cannot take it.
        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SubmitPairsAsync($"/demandes?handler=TakeOver&id={id}", [], tokenPage: "/demandes/individuelle/nouvelle")).StatusCode);

        var list = await Html.ParseAsync(await manufacturerClient.GetAsync("/demandes"));
        Assert.Contains("GenoScreen", list.Text("#brouillons-a-reprendre"), StringComparison.Ordinal);
        var taken = await manufacturerClient.SubmitAsync(list, "/demandes", new Dictionary<string, string>(), $"form[action*='handler=TakeOver']");
        Assert.Equal($"/demandes/{id}", taken.Headers.Location?.OriginalString);

        var application = await ApplicationAsync(id);
        Assert.Equal(manufacturer.OrganisationId, application.FilingOrganisationId);
        Assert.Equal(FiledAs.Manufacturer, application.Answers.Parties.FiledAs);
        Assert.Equal("GenoScreen NGS Panel", application.Answers.Device.TradeName);
        Assert.Equal(HttpStatusCode.OK, (await manufacturerClient.GetAsync($"/demandes/{id}/parties")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await consultantClient.GetAsync($"/demandes/{id}/parties")).StatusCode);
        await portal.WaitForMailAsync(m => m.To == consultant.Email && m.Body.Contains("le fabricant a repris le brouillon", StringComparison.Ordinal));
    }
}
