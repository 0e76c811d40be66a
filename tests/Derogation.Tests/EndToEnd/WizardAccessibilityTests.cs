using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

public sealed class WizardAccessibilityTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task EveryWizardPage_HasNoSeriousAccessibilityViolation_AlsoWhenShowingErrors()
    {
        var user = await Portal.CreateUserAsync(Roles.Manufacturer);
        await using var browserPage = await SignedInPageAsync(user);
        var page = browserPage.Page;

        await page.GotoAsync("/demandes/individuelle/nouvelle");
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Commencer la demande" }).ClickAsync();
        await browserPage.WaitForPathAsync("/parties");
        var draftPath = new Uri(page.Url).AbsolutePath[..^"/parties".Length];

        var steps = WizardFill.Individual.ToList();
        for (var index = 0; index < steps.Count; index++)
        {
            var (slug, fields) = steps[index];
            var next = index + 1 < steps.Count ? $"/{steps[index + 1].Slug}" : "/recapitulatif";
            if (next == "/declarations")
            {
                next = "/documents";
            }

            Assert.EndsWith($"/{slug}", new Uri(page.Url).AbsolutePath);
            // First as the applicant sees it, then with every error of the step shown.
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
            await ClearTextFieldsAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et continuer" }).ClickAsync();
            await page.WaitForSelectorAsync("#resume-erreurs");
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());

            await BrowserWizard.FillFieldsAsync(page, fields);
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer et continuer" }).ClickAsync();
            await browserPage.WaitForPathAsync(next);
            if (next == "/documents")
            {
                await UploadDocumentsAsync(browserPage);
            }
        }

        Assert.Equal($"{draftPath}/recapitulatif", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Toutes les rubriques sont complètes.", await page.Locator("#complete").InnerTextAsync());
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GotoAsync($"{draftPath}/supprimer");
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        Assert.Empty(browserPage.Problems);
    }

    /// <summary>The documents step as a person does it: "Continuer" first (errors listed), then each asterisked file.</summary>
    private static async Task UploadDocumentsAsync(BrowserPage browserPage)
    {
        var page = browserPage.Page;
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer", Exact = true }).ClickAsync();
        await page.WaitForSelectorAsync("#resume-erreurs");
        Assert.Equal(4, await page.Locator("#resume-erreurs li").CountAsync());
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());

        await BrowserWizard.AttachMandatoryDocumentsAsync(browserPage, consultantFiling: false);
    }

    private static async Task ClearTextFieldsAsync(IPage page)
    {
        foreach (var field in await page.Locator("main form input.fr-input, main form textarea.fr-input").AllAsync())
        {
            await field.FillAsync("");
        }

        foreach (var box in await page.Locator("main form input[type=checkbox]:checked").AllAsync())
        {
            await page.Locator($"label[for='{await box.GetAttributeAsync("id")}']").ClickAsync();
        }
    }
}
