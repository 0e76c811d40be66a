using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// Issue acceptance: the prescriber's part in Chromium — the applicant sends the link, the prescriber (no account)
/// fills the form through it, a second use is refused, and the reviewer reads the statement in the case file.
/// </summary>
public sealed class PrescriberJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task ApplicantInvites_PrescriberFillsTheFormOnce_ReviewerReadsTheStatement()
    {
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await Portal.CreateClientForAsync(manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(applicant);
        var email = $"dr-{Guid.NewGuid():N}@chu.example";

        await using (var applicantPage = await SignedInPageAsync(manufacturer))
        {
            var page = applicantPage.Page;
            await page.GotoAsync($"/demandes/{id}/professionnels");
            await page.GetByRole(AriaRole.Button, new() { Name = "Demander au prescripteur de rédiger lui-même la justification médicale" }).ClickAsync();
            await applicantPage.WaitForPathAsync($"/demandes/{id}/prescripteur");
            Assert.Equal("c.fontaine@chu.example", await page.Locator("#Email").InputValueAsync());
            Assert.Empty(await applicantPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("#Email").FillAsync(email);
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le lien au prescripteur" }).ClickAsync();
            await page.Locator(".fr-alert--success").WaitForAsync();
            Assert.StartsWith("Le lien a été envoyé au prescripteur.", await page.Locator(".fr-alert--success").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Contains(email, await page.Locator("#liens-prescripteur").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Empty(applicantPage.Problems);
        }

        var invitation = await Portal.WaitForMailAsync(m => m.To == email);
        var link = invitation.Link("/prescripteur/").PathAndQuery;
        await using (var prescriberPage = await NewPageAsync())
        {
            var page = prescriberPage.Page;
            await page.GotoAsync(link);
            Assert.Equal("Justification médicale du prescripteur", await page.Locator("h1").InnerTextAsync());
            Assert.Empty(await prescriberPage.SeriousAccessibilityViolationsAsync());

            // A patient's name in the justification is refused, with the field named, and the text kept.
            var justification = page.Locator("#Input_MedicalJustification");
            await justification.FillAsync("Mme Élise Dupont ne peut pas attendre le marquage CE.");
            await page.Locator("#Input_Rpps").FillAsync("10001234567");
            await page.Locator("label[for='Input_PatientInformedAndConsented']").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Transmettre ma partie" }).ClickAsync();
            await page.Locator("#resume-erreurs").WaitForAsync();
            Assert.Contains("Justification médicale", await page.Locator("#resume-erreurs").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("Mme Élise Dupont ne peut pas attendre le marquage CE.", await justification.InputValueAsync());
            Assert.Empty(await prescriberPage.SeriousAccessibilityViolationsAsync());

            await justification.FillAsync("Patient D. É., adrénoleucodystrophie évolutive : aucun test marqué CE ne détecte ce variant, dont dépend l'indication de greffe.");
            if (!await page.Locator("#Input_PatientInformedAndConsented").IsCheckedAsync())
            {
                await page.Locator("label[for='Input_PatientInformedAndConsented']").ClickAsync();
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Transmettre ma partie" }).ClickAsync();
            await page.Locator("#partie-prescripteur-enregistree").WaitForAsync();
            Assert.Empty(await prescriberPage.SeriousAccessibilityViolationsAsync());

            // The link works once.
            var again = await page.GotoAsync(link);
            Assert.Equal(404, again!.Status);
            Assert.Equal("Lien expiré ou déjà utilisé", await page.Locator("h1").InnerTextAsync());
        }

        // The applicant finishes without uploading a justification, and submits.
        foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription" })
        {
            await WizardDocuments.UploadAsync(applicant, id, type, $"{type}.pdf", new ByteArrayContent(WizardDocuments.Pdf(type)));
        }

        await applicant.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
        await applicant.SubmitAsync($"/demandes/{id}/declarations", new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "declarations").Fields) { ["action"] = "continuer" });
        var submitted = await applicant.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];

        await using var reviewerPage = await SignedInPageAsync(await Portal.CreateUserAsync(Roles.Reviewer));
        await reviewerPage.Page.GotoAsync($"/instruction/{reference}");
        var statement = reviewerPage.Page.Locator(".partie-prescripteur");
        Assert.Contains("aucun test marqué CE ne détecte ce variant", await statement.InnerTextAsync(), StringComparison.Ordinal);
        Assert.StartsWith("RPPS", (await statement.Locator("dt").Nth(2).InnerTextAsync()).Replace("Numéro ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(await reviewerPage.SeriousAccessibilityViolationsAsync());
        Assert.Empty(reviewerPage.Problems);
    }
}
