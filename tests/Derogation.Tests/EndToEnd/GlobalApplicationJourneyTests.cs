using System.Text.RegularExpressions;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>Issue acceptance: a manufacturer files a global application with 15 references and two earlier derogations, and gets its receipt listing them.</summary>
public sealed class GlobalApplicationJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task ManufacturerFiles15ReferencesAndTwoEarlierDerogations_AndTheReceiptListsThem()
    {
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        await using var browserPage = await SignedInPageAsync(manufacturer);
        var page = browserPage.Page;
        await page.GotoAsync("/demandes");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouvelle demande globale" }).First.ClickAsync();
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await BrowserWizard.PassPreliminaryCheckAsync(browserPage);
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Commencer la demande" }).ClickAsync();
        await browserPage.WaitForPathAsync("/parties");

        var steps = GlobalWizardFill.Steps(references: 15, earlier: 2);
        for (var index = 0; index < steps.Length; index++)
        {
            var (slug, fields) = steps[index];
            if (slug == "dispositif")
            {
                // The table opens with one row to fill; the others one at a time, as a person adds them.
                await page.Locator("#Input_ReferenceList_0__Code").WaitForAsync();
                for (var row = 1; row < 15; row++)
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une référence" }).ClickAsync();
                    await page.Locator($"#Input_ReferenceList_{row}__Code").WaitForAsync();
                }
            }

            if (slug == "derogations-anterieures")
            {
                for (var row = 0; row < 2; row++)
                {
                    await page.GetByRole(AriaRole.Button, new() { Name = "Ajouter une dérogation déjà accordée" }).ClickAsync();
                    await page.Locator($"#Input_Derogations_{row}__DecisionReference").WaitForAsync();
                }
            }

            await BrowserWizard.FillFieldsAsync(page, fields);
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
            var next = index + 1 < steps.Length ? $"/{steps[index + 1].Slug}" : "/recapitulatif";
            await BrowserWizard.ContinueAsync(browserPage, next == "/declarations" ? "/documents" : next);
            if (next == "/declarations")
            {
                foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription", "CeMarkingPlan", "EarlierDerogationsAssessment" })
                {
                    await page.Locator("#DocumentType").SelectOptionAsync(type);
                    await page.Locator("#Upload").SetInputFilesAsync(new FilePayload { Name = $"{type}.pdf", MimeType = "application/pdf", Buffer = WizardDocuments.Pdf(type) });
                    await page.GetByRole(AriaRole.Button, new() { Name = "Joindre le fichier" }).ClickAsync();
                    await page.WaitForSelectorAsync($"#Input_Document{type} a.fr-link");
                }

                await page.GetByRole(AriaRole.Button, new() { Name = "Continuer", Exact = true }).ClickAsync();
                await browserPage.WaitForPathAsync("/declarations");
            }
        }

        Assert.Equal("Toutes les rubriques sont complètes.", await page.Locator("#complete").InnerTextAsync());
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer la demande" }).ClickAsync();
        await page.WaitForURLAsync(new Regex(@"/demandes/DGL-\d{4}-\d{5}$"));
        var reference = new Uri(page.Url).AbsolutePath.Split('/')[2];

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le récépissé de dépôt (PDF)" }).ClickAsync());
        var text = Regex.Replace(await PdfText.ReadAsync(await File.ReadAllBytesAsync((await download.PathAsync())!)), @"\s+", " ");
        Assert.Contains($"Référence {reference}", text);
        Assert.Contains("Références couvertes (15)", text);
        Assert.Contains("MOD-2-001 Vis pédiculaire 30 mm", text);
        Assert.Contains("MOD-2-015 Vis pédiculaire 44 mm", text);
        Assert.Contains("Dérogations déjà accordées déclarées (2)", text);
        Assert.Contains("DGL-2025-00001", text);
        Assert.Contains("DGL-2025-00002", text);
        Assert.Empty(browserPage.Problems);
    }
}
