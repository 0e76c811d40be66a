using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.EndToEnd;

/// <summary>The home page in a real Chromium: DSFR loads under the strict CSP, the language switch works, and axe-core finds nothing serious.</summary>
public sealed class HomePageTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Home_InFrenchThenEnglish_IsAccessibleAndLoadsDsfrUnderTheCsp()
    {
        await using var browserPage = await NewPageAsync();
        var page = browserPage.Page;

        await page.GotoAsync("/");
        Assert.Equal("Demander une dérogation au marquage CE", await page.Locator("h1").InnerTextAsync());
        // DSFR's script ran: it marks the document once its components are started.
        await page.WaitForSelectorAsync("html[data-fr-js='true']", new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());

        // The language switch, as a visitor uses it: open the menu, choose English.
        await page.Locator("button[aria-controls='translate-menu']").ClickAsync();
        await page.Locator("#translate-menu a[hreflang='en']").ClickAsync();
        await page.WaitForURLAsync(new Uri(Address, "/").ToString());
        Assert.Equal("Apply for a derogation from CE marking", await page.Locator("h1").InnerTextAsync());
        Assert.Equal("en", await page.Locator("html").GetAttributeAsync("lang"));
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());

        // No CSP violation or script error on the way.
        Assert.Empty(browserPage.Problems);
    }

    [Theory]
    [InlineData("/accessibilite")]
    [InlineData("/page-inexistante")]
    public async Task OtherShellPages_AreAccessible(string path)
    {
        await using var browserPage = await NewPageAsync();
        await browserPage.Page.GotoAsync(path);
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        // The 404 page's own status is reported by Chromium as a failed load; anything else is a problem.
        Assert.DoesNotContain(browserPage.Problems, p => !p.StartsWith("Failed to load resource: the server responded with a status of 404", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AccessibilityCheck_ReportsASeriousViolationWhenThereIsOne()
    {
        // Guards the guard: an image without a text alternative must be reported, or the checks above prove nothing.
        await using var browserPage = await NewPageAsync();
        await browserPage.Page.GotoAsync("/");
        await browserPage.Page.EvaluateAsync("() => document.querySelector('main').append(document.createElement('img'))");

        Assert.Contains(await browserPage.SeriousAccessibilityViolationsAsync(), v => v.StartsWith("critical image-alt", StringComparison.Ordinal));
    }
}
