using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

public sealed class GlobalWizardTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, Guid Id)> StartAsync()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var started = await client.SubmitAsync("/demandes/globale/nouvelle", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        return (client, Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]));
    }

    private static async Task FillUpToAsync(HttpClient client, Guid id, string stopBefore, int references = 3, int earlier = 0)
    {
        foreach (var (slug, fields) in GlobalWizardFill.Steps(references, earlier).TakeWhile(s => s.Slug != stopBefore))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.UploadGlobalAsync(client, id, earlier > 0);
            }

            var response = await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{slug}: {(await Html.ParseAsync(response)).QuerySelector("#resume-erreurs")?.TextContent}");
        }
    }

    private static async Task<AngleSharp.Dom.IDocument> ContinueAsync(HttpClient client, Guid id, string slug, Dictionary<string, string> fields) =>
        await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" }));

    [Fact]
    public async Task AMedicalDevice_IsNotAskedForAnalyticalPerformance_AndAnIvdIsNotOfferedTheAnnualProsthesisVariant()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "securite-performances");
        // Medical device (the fill's legal basis): no analytical performance field, and the step completes without it,
        // whatever is posted for it.
        var safety = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/securite-performances"));
        Assert.Null(safety.QuerySelector("#Input_AnalyticalPerformance"));
        Assert.NotNull(safety.QuerySelector("#Input_ClinicalPerformance"));
        var continued = await client.SubmitAsync($"/demandes/{id}/securite-performances", new Dictionary<string, string>(GlobalWizardFill.Steps().Single(x => x.Slug == "securite-performances").Fields) { ["Input.AnalyticalPerformance"] = "forgé", ["action"] = "continuer" });
        Assert.Equal(HttpStatusCode.Redirect, continued.StatusCode);
        var perimeter = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/perimetre"));
        Assert.NotNull(perimeter.QuerySelector("#Input_AnnualProsthesisRevision"));

        var (ivdClient, ivdId) = await StartAsync();
        var parties = new Dictionary<string, string>(GlobalWizardFill.Steps()[0].Fields) { ["Input.LegalBasis"] = "InVitroDiagnostic", ["action"] = "continuer" };
        Assert.Equal(HttpStatusCode.Redirect, (await ivdClient.SubmitAsync($"/demandes/{ivdId}/parties", parties)).StatusCode);
        // An IVD's device step (its own characteristics), with the global table of references.
        var device = new Dictionary<string, string>(WizardFill.Individual.Single(x => x.Slug == "dispositif").Fields) { ["action"] = "continuer" };
        foreach (var (field, value) in GlobalWizardFill.Device(1).Where(f => f.Key.StartsWith("Input.ReferenceList", StringComparison.Ordinal)))
        {
            device[field] = value;
        }

        var deviceSaved = await ivdClient.SubmitAsync($"/demandes/{ivdId}/dispositif", device);
        Assert.True(deviceSaved.StatusCode == HttpStatusCode.Redirect, (await Html.ParseAsync(deviceSaved)).QuerySelector("#resume-erreurs")?.TextContent);
        var ceSaved = await ivdClient.SubmitAsync($"/demandes/{ivdId}/marquage-ce", new Dictionary<string, string>(GlobalWizardFill.Steps()[2].Fields) { ["action"] = "continuer" });
        Assert.True(ceSaved.StatusCode == HttpStatusCode.Redirect, (await Html.ParseAsync(ceSaved)).QuerySelector("#resume-erreurs")?.TextContent);
        var ivdPerimeterPage = await ivdClient.GetAsync($"/demandes/{ivdId}/perimetre");
        Assert.Equal(HttpStatusCode.OK, ivdPerimeterPage.StatusCode);
        var ivdPerimeter = await Html.ParseAsync(ivdPerimeterPage);
        Assert.NotNull(ivdPerimeter.QuerySelector("#Input_TargetPopulation"));
        Assert.Null(ivdPerimeter.QuerySelector("#Input_AnnualProsthesisRevision"));
    }

    [Fact]
    public async Task TheAnnualProsthesisVariant_AsksNeitherACeMarkingPlanNorACommitmentToCeMarking()
    {
        var (client, id) = await StartAsync();
        var steps = GlobalWizardFill.Steps();
        foreach (var (slug, fields) in steps.TakeWhile(s => s.Slug != "declarations"))
        {
            var posted = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            if (slug == "perimetre")
            {
                posted["Input.AnnualProsthesisRevision"] = "true";
                posted["Input.ProsthesisKind"] = "Joint";
                posted["Input.ValidUntil"] = "2027-12-31";
            }

            var response = await client.SubmitAsync($"/demandes/{id}/{slug}", posted);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{slug}: {(await Html.ParseAsync(response)).QuerySelector("#resume-erreurs")?.TextContent}");
        }

        // The three asterisked documents without a CE-marking plan complete the documents step.
        foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription" })
        {
            Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, type, $"{type}.pdf", new ByteArrayContent(WizardDocuments.Pdf(type)))).StatusCode);
        }

        var declarationsPage = await client.GetAsync($"/demandes/{id}/declarations");
        // Reachable: the documents step is complete without the plan (an incomplete step before it would redirect).
        Assert.Equal(HttpStatusCode.OK, declarationsPage.StatusCode);
        var declarations = await Html.ParseAsync(declarationsPage);
        Assert.NotNull(declarations.QuerySelector("#Input_InformationAccurate"));
        Assert.Null(declarations.QuerySelector("#Input_CommitsToCeMarking"));
        var done = new Dictionary<string, string>(steps.Single(s => s.Slug == "declarations").Fields) { ["action"] = "continuer" };
        done.Remove("Input.CommitsToCeMarking");
        var saved = await client.SubmitAsync($"/demandes/{id}/declarations", done);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, (await Html.ParseAsync(saved)).QuerySelector("#resume-erreurs")?.TextContent);
        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));
        Assert.NotNull(summary.QuerySelector("#complete"));
    }

    [Fact]
    public async Task GlobalWizard_HasNoPatientStep_AndItsOwnSteps()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "derogations-anterieures");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{id}/patient")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{id}/professionnels")).StatusCode);
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/perimetre"));
        Assert.Equal("Demande de dérogation globale", page.Text("h1"));
        Assert.Null(page.QuerySelector("input[name*='Initial'], input[name*='YearOfBirth']"));
    }

    [Fact]
    public async Task References_CanBeAddedAndRemoved_AndEachRoundTripSavesTheDraft_SoAReloadLosesNothing()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "dispositif");
        // The first visit offers one row to fill, not an empty table.
        var first = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/dispositif"));
        Assert.Single(first.QuerySelectorAll("input[name$='].Code']"));

        var typed = GlobalWizardFill.Device(2);
        var added = await client.SubmitAsync($"/demandes/{id}/dispositif", new Dictionary<string, string>(typed) { ["action"] = "ajouter-reference" });
        Assert.Equal($"/demandes/{id}/dispositif", added.Headers.Location!.OriginalString);
        // A reload (as after the round trip): everything typed is there, with the new empty row.
        var reloaded = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/dispositif"));
        Assert.Equal(3, reloaded.QuerySelectorAll("input[name$='].Code']").Length);
        Assert.Equal("MOD-2-002", reloaded.QuerySelector("#Input_ReferenceList_1__Code")!.GetAttribute("value"));
        Assert.Equal("Implant rachidien Modulo", reloaded.QuerySelector("#Input_TradeName")!.GetAttribute("value"));

        // As a browser posts it: the two typed rows and the new empty one.
        var posted = new Dictionary<string, string>(typed) { ["Input.ReferenceList[2].Code"] = "", ["Input.ReferenceList[2].Description"] = "", ["action"] = "retirer-reference-0" };
        Assert.Equal(System.Net.HttpStatusCode.Redirect, (await client.SubmitAsync(reloaded, $"/demandes/{id}/dispositif", posted)).StatusCode);
        var removed = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/dispositif"));
        Assert.Equal(["MOD-2-002", ""], removed.QuerySelectorAll("input[name$='].Code']").Select(i => i.GetAttribute("value")));

        // A social-security number typed meanwhile is not saved by the round trip: refused, what was typed kept.
        var named = new Dictionary<string, string>(typed) { ["Input.IntendedPurpose"] = "Patient 1 84 12 75 123 456 40", ["action"] = "ajouter-reference" };
        var refused = await client.SubmitAsync($"/demandes/{id}/dispositif", named);
        Assert.Equal(System.Net.HttpStatusCode.OK, refused.StatusCode);
        var refusedPage = await Html.ParseAsync(refused);
        Assert.Contains(refusedPage.Texts("#resume-erreurs li"), e => e.Contains("sécurité sociale", StringComparison.Ordinal));
        Assert.Equal("Patient 1 84 12 75 123 456 40", refusedPage.Text("#Input_IntendedPurpose"));
    }

    [Fact]
    public async Task NoReferences_OrDuplicateCodes_AreRefused_KeepingTheRest()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "dispositif");

        var none = await ContinueAsync(client, id, "dispositif", GlobalWizardFill.Device(0));
        Assert.Contains("Références : ajoutez au moins une référence couverte par la demande (bouton « Ajouter une référence »).", none.Texts("#resume-erreurs li"));

        var duplicate = GlobalWizardFill.Device(3);
        duplicate["Input.ReferenceList[2].Code"] = "mod-2-001";
        var page = await ContinueAsync(client, id, "dispositif", duplicate);
        Assert.Contains("Références : « MOD-2-001 » figure plusieurs fois. Chaque référence ne doit apparaître qu'une fois : retirez le doublon.", page.Texts("#resume-erreurs li"));
        Assert.Equal("Vis pédiculaire 31 mm", page.QuerySelector("#Input_ReferenceList_1__Description")!.GetAttribute("value"));
        Assert.Equal("mod-2-001", page.QuerySelector("#Input_ReferenceList_2__Code")!.GetAttribute("value"));
    }

    [Fact]
    public async Task MissingCeMarkingPlan_IsRefused()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "marquage-ce");
        var fields = new Dictionary<string, string>(GlobalWizardFill.Steps()[2].Fields);
        fields.Remove("Input.PlannedTimeline");
        var page = await ContinueAsync(client, id, "marquage-ce", fields);
        Assert.Equal(["Calendrier prévu vers le marquage CE : ce champ est obligatoire, renseignez-le."], page.Texts("#resume-erreurs li"));
        Assert.Equal("Certification visée pour 2027.", page.Text("#Input_CeMarkingCommitment"));

        // And the plan document is asterisked in the global catalogue.
        await FillUpToAsync(client, id, "securite-performances");
        await client.SubmitAsync($"/demandes/{id}/securite-performances", new Dictionary<string, string>(GlobalWizardFill.Steps()[5].Fields) { ["action"] = "continuer" });
        var documents = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']"));
        Assert.Contains("Pièce obligatoire manquante : Plan et calendrier de marquage CE. Joignez-la à l'étape « Pièces justificatives ».", documents.Texts("#resume-erreurs li"));
        Assert.Null(documents.QuerySelector("#Input_DocumentMedicalJustification")); // an individual-only document
    }

    [Theory]
    [InlineData("2027-06-01", "2027-05-01", "Fin de validité : elle doit être postérieure au début de validité. Saisissez une date de fin plus tardive.")]
    [InlineData("2027-01-01", "2028-01-02", "Fin de validité : la période demandée dépasse 12 mois. Raccourcissez-la ; une extension pourra être demandée ensuite.")]
    public async Task ValidityPeriod_EndBeforeStart_OrLongerThanTheMaximum_IsRefused(string from, string until, string message)
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "perimetre");
        var fields = new Dictionary<string, string>(GlobalWizardFill.Steps()[3].Fields) { ["Input.ValidFrom"] = from, ["Input.ValidUntil"] = until };
        var page = await ContinueAsync(client, id, "perimetre", fields);

        Assert.Equal([message], page.Texts("#resume-erreurs li"));
        Assert.Equal(until, page.QuerySelector("#Input_ValidUntil")!.GetAttribute("value"));
        Assert.Equal("CHU de Lyon\nCHU de Bordeaux", page.Text("#Input_Establishments"));
    }

    [Fact]
    public async Task GlobalText_RefusesSocialSecurityNumbersAndBirthDates()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "perimetre");
        var fields = new Dictionary<string, string>(GlobalWizardFill.Steps()[3].Fields)
        {
            ["Input.TargetPopulation"] = "Patients dont le premier, né le 3 mars, NIR 1 84 12 75 123 456 40.",
        };
        var summary = (await ContinueAsync(client, id, "perimetre", fields)).Texts("#resume-erreurs li");
        Assert.Contains(summary, s => s.StartsWith("Population cible et indication : « 1 84 12 75 123 456 40 » ressemble à un numéro de sécurité sociale.", StringComparison.Ordinal));
        Assert.Contains(summary, s => s.StartsWith("Population cible et indication : « né le » annonce une date de naissance.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EarlierDerogationsDeclared_WithoutTheAssessmentReport_AreRefused()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "declarations", earlier: 0);
        var documents = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        Assert.DoesNotContain("*", documents.Text("#Input_DocumentEarlierDerogationsAssessment td"));

        // Declaring earlier derogations makes the assessment report asterisked.
        await client.SubmitAsync($"/demandes/{id}/derogations-anterieures", new Dictionary<string, string>(GlobalWizardFill.EarlierDerogations(2)) { ["action"] = "continuer" });
        var continued = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']"));
        Assert.Contains("Pièce obligatoire manquante : Rapport d'évaluation des dérogations déjà accordées. Joignez-la à l'étape « Pièces justificatives ».", continued.Texts("#resume-erreurs li"));

        var declaredNone = await ContinueAsync(client, id, "derogations-anterieures", new Dictionary<string, string> { ["Input.HasEarlierDerogations"] = "true" });
        Assert.Contains("Dérogations déjà accordées : ajoutez au moins une dérogation (bouton « Ajouter une dérogation déjà accordée »), ou répondez « Non ».", declaredNone.Texts("#resume-erreurs li"));
    }

    [Fact]
    public async Task Submission_GetsADglReference_AndTheReceiptListsReferencesAndEarlierDerogations()
    {
        var (client, id) = await StartAsync();
        foreach (var (slug, fields) in GlobalWizardFill.Steps(references: 15, earlier: 2))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.UploadGlobalAsync(client, id, earlierDerogationsDeclared: true);
                await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
            }

            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" })).StatusCode);
        }

        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));
        Assert.Equal("Toutes les rubriques sont complètes.", summary.Text("#complete"));
        Assert.Contains(summary.Texts("dd"), d => d.Contains("MOD-2-015 — Vis pédiculaire 44 mm", StringComparison.Ordinal));

        var submitted = await client.SubmitAsync(summary, $"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        Assert.Matches($"^DGL-{DateTime.UtcNow.Year}-\\d{{5}}$", reference);

        var text = Regex.Replace(await PdfText.ReadAsync(await (await client.GetAsync($"/demandes/{reference}/recepisse")).Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains("Dérogation globale", text);
        Assert.Contains("Références couvertes (15)", text);
        for (var i = 1; i <= 15; i++)
        {
            Assert.Contains($"MOD-2-{i:D3}", text);
        }

        Assert.Contains("Dérogations déjà accordées déclarées (2)", text);
        Assert.Contains("DGL-2025-00001 : 20 patient(s) traité(s), 30 dispositif(s) utilisé(s) ; incidents : Aucun", text);
        Assert.Contains("DGL-2025-00002 : 21 patient(s) traité(s), 31 dispositif(s) utilisé(s)", text);

        await using var scope = portal.Services.CreateAsyncScope();
        var version = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().ApplicationVersions.AsNoTracking().SingleAsync(v => v.ApplicationId == id);
        Assert.Equal(15, version.Answers.Device.ReferenceList.Count);
        Assert.Null(version.Answers.Patient.LastNameInitial);
    }
}
