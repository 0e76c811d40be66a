using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// Buttons with an icon keep their text in Chromium, on a desktop and at a phone's width: in a DSFR button group an
/// icon button needs the group's icon class, or DSFR draws it as a bare 40 px icon — which axe-core cannot see, since
/// the text is still in the page. Each button is measured as drawn.
/// </summary>
public sealed class IconButtonTests(Browser browser) : BrowserTest(browser)
{
    private static async Task AssertLabelShownAsync(IPage page, ILocator button, string label)
    {
        Assert.Equal(label, (await button.InnerTextAsync()).Trim());
        var box = await button.BoundingBoxAsync();
        Assert.True(box is { Width: > 100 }, $"\"{label}\" is drawn {box?.Width} px wide at a {page.ViewportSize?.Width} px viewport: its text is hidden.");
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(375)]
    public async Task NewApplication_DeleteDraft_AndLetterPreview_ShowTheirText(int width)
    {
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        var client = await Portal.CreateClientForAsync(manufacturer);
        var draft = await Filing.DraftAtDocumentsStepAsync(client);
        var (reference, _) = await Filing.SubmitIndividualAsync(client);
        var reviewer = await Portal.CreateUserAsync(Roles.Reviewer);
        await Filing.TakeAsync(await Portal.CreateClientForAsync(reviewer), reference);

        await using (var filer = await SignedInPageAsync(manufacturer))
        {
            await filer.Page.SetViewportSizeAsync(width, 900);
            await filer.Page.GotoAsync("/demandes");
            await AssertLabelShownAsync(filer.Page, filer.Page.Locator("main a.fr-btn[href='/demandes/individuelle/eligibilite']"), "Nouvelle demande individuelle");
            await AssertLabelShownAsync(filer.Page, filer.Page.Locator("main a.fr-btn[href='/demandes/globale/eligibilite']"), "Nouvelle demande globale");
            await filer.Page.GotoAsync($"/demandes/{draft}/recapitulatif");
            await AssertLabelShownAsync(filer.Page, filer.Page.Locator($"main a.fr-btn[href='/demandes/{draft}/supprimer']"), "Supprimer le brouillon");
        }

        await using var page = await SignedInPageAsync(reviewer);
        await page.Page.SetViewportSizeAsync(width, 900);
        await page.Page.GotoAsync($"/instruction/{reference}/decision");
        var preview = page.Page.Locator("main button[formaction*='handler=Preview']");
        Assert.StartsWith("Aperçu de la lettre", (await preview.InnerTextAsync()).Trim(), StringComparison.Ordinal);
        var box = await preview.BoundingBoxAsync();
        Assert.True(box is { Width: > 100 }, $"the preview button is drawn {box?.Width} px wide: its text is hidden.");
    }
}
