using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

/// <summary>"Copier cette demande": the same device for another patient, without anything about the first patient.</summary>
public sealed class CopyApplicationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<Application> ApplicationAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task ACopy_KeepsTheDeviceAndItsDocumentsToConfirm_AndNothingAboutThePatientOrTheProfessionals()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, sourceId) = await Filing.SubmitIndividualAsync(client);

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{reference}"));
        Assert.Equal("Copier cette demande", page.Text("#copier button"));
        var copied = await client.SubmitAsync($"/demandes/{reference}", new Dictionary<string, string>(), "form#copier");
        var location = copied.Headers.Location!.OriginalString;
        Assert.EndsWith("/parties", location);
        var id = Guid.Parse(location.Split('/')[2]);
        var firstStep = await Html.ParseAsync(await client.GetAsync(location));
        Assert.StartsWith($"Nouvelle demande créée à partir de {reference}.", firstStep.Text("#confirmation"), StringComparison.Ordinal);

        var source = await ApplicationAsync(sourceId);
        var draft = await ApplicationAsync(id);
        Assert.Equal(ApplicationStatus.Draft, draft.Status);
        Assert.Null(draft.Reference);
        Assert.Equal(source.ManufacturerId, draft.ManufacturerId);
        Assert.Equal(source.Answers.Device.TradeName, draft.Answers.Device.TradeName);
        Assert.Equal(source.Answers.Safety.BenefitRisk, draft.Answers.Safety.BenefitRisk);
        Assert.Null(draft.Answers.Patient.LastNameInitial);
        Assert.Null(draft.Answers.Patient.YearOfBirth);
        Assert.Null(draft.Answers.Patient.MedicalContext);
        Assert.Null(draft.Answers.HealthProfessionals.PrescriberName);
        Assert.Null(draft.Answers.PrescriberStatement);
        Assert.False(draft.Answers.Declarations.InformationAccurate);
        Assert.Equal(["DeviceDescription", "GsprDeclaration", "SafetyPerformanceSummary"], draft.Answers.Documents.Select(d => d.Type.ToString()).Order());
        Assert.All(draft.Answers.Documents, d => Assert.False(d.CarriedOverConfirmed));

        // Through the wizard to the documents: the patient and the professionals are new.
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "documents" && s.Slug != "declarations"))
        {
            var saved = await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
            Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"{slug}: {(await Html.ParseAsync(saved)).QuerySelector("#resume-erreurs")?.TextContent}");
        }

        // Each carried-over document is confirmed (or removed) before going on.
        var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']"));
        Assert.Contains(refused.Texts("#resume-erreurs li"), e => e.StartsWith("Description du dispositif", StringComparison.Ordinal) && e.Contains("a été repris d'une demande antérieure", StringComparison.Ordinal));
        await WizardDocuments.ConfirmCarriedOverAsync(client, id);
        Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, "MedicalJustification", "justification.pdf",
            new ByteArrayContent(WizardDocuments.Pdf("Justification médicale")), anonymised: true)).StatusCode);
        var continued = await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
        Assert.Equal($"/demandes/{id}/declarations", continued.Headers.Location?.OriginalString);

        // Only the organisation that filed it copies an application, even posting directly.
        var other = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var token = (await Html.ParseAsync(await other.GetAsync("/demandes"))).QuerySelector("input[name=__RequestVerificationToken]")?.GetAttribute("value");
        var forged = await other.PostAsync($"/demandes/{reference}?handler=Copy", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token ?? "" }));
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
    }
}
