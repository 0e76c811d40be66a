using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>Filling the individual wizard in Chromium as a person does: typing, clicking labels, attaching files.</summary>
public static class BrowserWizard
{
    public static async Task FillFieldsAsync(IPage page, IReadOnlyDictionary<string, string> fields)
    {
        foreach (var (name, value) in fields)
        {
            var field = page.Locator($"[name='{name}']");
            if (await field.CountAsync() == 0)
            {
                continue; // e.g. "filing as", fixed for a consultant
            }

            var type = await field.First.GetAttributeAsync("type");
            // DSFR draws radios and checkboxes over a visually hidden input: a person clicks the label.
            if (type == "radio")
            {
                var id = await page.Locator($"[name='{name}'][value='{value}']").GetAttributeAsync("id");
                await page.Locator($"label[for='{id}']").ClickAsync();
            }
            else if (type == "checkbox")
            {
                if (!await field.IsCheckedAsync())
                {
                    await page.Locator($"label[for='{await field.GetAttributeAsync("id")}']").ClickAsync();
                }
            }
            else if (type != "hidden")
            {
                await field.FillAsync(value);
            }
        }
    }

    /// <summary>The preliminary check, as a person answers it: not CE-marked for this use, not custom-made, no study to join.</summary>
    public static async Task PassPreliminaryCheckAsync(BrowserPage browserPage)
    {
        var page = browserPage.Page;
        await browserPage.WaitForPathAsync("/eligibilite");
        foreach (var question in new[] { "CeMarkedForThisUse", "CustomMade", "StudyAvailable" })
        {
            await page.Locator($"label[for=Input_{question}-1]").ClickAsync();
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await browserPage.WaitForPathAsync("/nouvelle");
    }

    /// <summary>A consultant files a complete individual application for <paramref name="manufacturerId"/>; returns its reference.</summary>
    public static async Task<string> FileIndividualAsConsultantAsync(BrowserPage consultantPage, Guid manufacturerId)
    {
        var page = consultantPage.Page;
        await page.GotoAsync("/demandes");
        await page.GetByRole(AriaRole.Link, new() { Name = "Nouvelle demande individuelle" }).First.ClickAsync();
        await PassPreliminaryCheckAsync(consultantPage);
        await page.Locator("#ManufacturerId").SelectOptionAsync(manufacturerId.ToString());
        await page.GetByRole(AriaRole.Button, new() { Name = "Commencer la demande" }).ClickAsync();
        await consultantPage.WaitForPathAsync("/parties");

        var steps = WizardFill.Individual.ToList();
        for (var index = 0; index < steps.Count; index++)
        {
            var (_, fields) = steps[index];
            await FillFieldsAsync(page, fields);
            var next = index + 1 < steps.Count ? $"/{steps[index + 1].Slug}" : "/recapitulatif";
            await ContinueAsync(consultantPage, next == "/declarations" ? "/documents" : next);
            if (next == "/declarations")
            {
                await AttachMandatoryDocumentsAsync(consultantPage, consultantFiling: true);
            }
        }

        Xunit.Assert.Equal("Toutes les rubriques sont complètes.", await page.Locator("#complete").InnerTextAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Déposer la demande" }).ClickAsync();
        await page.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/demandes/DIV-\d{4}-\d{5}$"));
        return new Uri(page.Url).AbsolutePath.Split('/')[2];
    }

    public static async Task ContinueAsync(BrowserPage browserPage, string expectedNextPath)
    {
        await browserPage.Page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et continuer" }).ClickAsync();
        await browserPage.WaitForPathAsync(expectedNextPath);
    }

    /// <summary>Attaches every asterisked document (the mandate too when a consultant files), then continues.</summary>
    public static async Task AttachMandatoryDocumentsAsync(BrowserPage browserPage, bool consultantFiling)
    {
        var page = browserPage.Page;
        var types = new List<string> { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription", "MedicalJustification" };
        if (consultantFiling)
        {
            // The portal holds the mandate and says it will attach it: nothing to upload.
            Xunit.Assert.Contains("le joindra automatiquement au dépôt", await page.Locator("#Input_DocumentMandate").InnerTextAsync(), StringComparison.Ordinal);
        }

        foreach (var type in types)
        {
            await page.Locator("#DocumentType").SelectOptionAsync(type);
            await page.Locator("#Upload").SetInputFilesAsync(new FilePayload { Name = $"{type}.pdf", MimeType = "application/pdf", Buffer = WizardDocuments.Pdf(type) });
            if (type == "MedicalJustification")
            {
                await page.Locator("label[for='Anonymised']").ClickAsync();
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Joindre le fichier" }).ClickAsync();
            await page.WaitForSelectorAsync($"#Input_Document{type} a.fr-link");
        }

        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer", Exact = true }).ClickAsync();
        await browserPage.WaitForPathAsync("/declarations");
    }
}
