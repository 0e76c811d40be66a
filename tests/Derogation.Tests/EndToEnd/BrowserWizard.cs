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
            types.Add("Mandate");
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
