using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// The pages that open the portal to other systems and keep its record — tokens, webhooks, the notifications to the
/// Commission, the audit trail — used in Chromium as their users use them, and checked by axe-core.
/// </summary>
public sealed class IntegrationPagesAccessibilityTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Tokens_Webhooks_EuNotifications_AndAuditTrail_WorkInTheBrowser_WithoutSeriousViolations()
    {
        var problems = new List<string>();

        // A manufacturer's administrator creates a token and registers an address, with the keyboard-reachable forms.
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        await using (var page = await SignedInPageAsync(manufacturer))
        {
            await page.Page.GotoAsync("/compte/jetons");
            await page.Page.FillAsync("#Input_Name", "SIR production");
            await page.Page.ClickAsync("#creer-jeton button[type=submit]");
            Assert.StartsWith("dgt_", await page.Page.Locator("#secret").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("SIR production", await page.Page.Locator("#jetons tbody tr td").First.InnerTextAsync());
            problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"/compte/jetons: {v}"));

            await page.Page.ClickAsync("#lien-webhooks");
            await page.Page.FillAsync("#Address", "https://sir.fabricant.example/evenements");
            await page.Page.ClickAsync("#ajouter-point button[type=submit]");
            Assert.StartsWith("whsec_", await page.Page.Locator("#secret").InnerTextAsync(), StringComparison.Ordinal);
            problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"/organisation/webhooks: {v}"));
            problems.AddRange(page.Problems);
        }

        // ANSM: a granted global derogation to notify, marked as sent from the list.
        var (reference, _) = await Filing.SubmitGlobalAsync(await Portal.CreateClientForAsync(manufacturer));
        await Portal.GrantAsync(reference, new Dictionary<string, string> { ["Conditions.ValidUntil"] = "2027-12-31" });
        var reviewer = await Portal.CreateUserAsync(Roles.SeniorReviewer);
        await using (var page = await SignedInPageAsync(reviewer))
        {
            await page.Page.GotoAsync("/instruction/notifications-ue?filtre=a-envoyer");
            problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"/instruction/notifications-ue: {v}"));
            await page.Page.Locator("tbody tr", new() { HasText = reference }).Locator("button").ClickAsync();
            Assert.Contains("Notification marquée comme envoyée.", await page.Page.Locator("#confirmation").InnerTextAsync());
            Assert.Equal(0, await page.Page.Locator("tbody tr", new() { HasText = reference }).CountAsync());
            problems.AddRange(page.Problems);
        }

        // The administrator verifies the audit chain on demand.
        var administrator = await Portal.CreateUserAsync(Roles.Administrator);
        await using (var page = await SignedInPageAsync(administrator))
        {
            await page.Page.GotoAsync("/admin/journal-audit");
            await page.Page.ClickAsync("#etat button[type=submit]");
            Assert.StartsWith("Chaîne vérifiée : intacte", await page.Page.Locator("#confirmation").InnerTextAsync(), StringComparison.Ordinal);
            problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"/admin/journal-audit: {v}"));
            problems.AddRange(page.Problems);
        }

        Assert.Empty(problems);
    }
}
