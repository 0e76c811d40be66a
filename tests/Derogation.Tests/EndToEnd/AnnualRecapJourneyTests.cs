using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// Issue acceptance (after the decision): in Chromium, the manufacturer of an annual prosthesis derogation files
/// the recap of the elements used with an extension request; the public register and the incident report page
/// pass axe-core too.
/// </summary>
public sealed class AnnualRecapJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task Manufacturer_FilesTheAnnualRecap_WithAnExtensionRequest_AndTheReviewerSeesIt()
    {
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitGlobalAsync(await Portal.CreateClientForAsync(manufacturer), references: 3, annualProsthesis: true);
        var reviewerUser = await Portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await Portal.CreateClientForAsync(reviewerUser);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await Portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidFrom"] = "2027-01-01",
            ["Conditions.ValidUntil"] = "2027-12-31", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await Portal.SignAsync(reference, signatory);
        var problems = new List<string>();

        await using (var manufacturerPage = await SignedInPageAsync(manufacturer))
        {
            var page = manufacturerPage.Page;
            await page.GotoAsync($"/demandes/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Déposer le bilan annuel (période close le 31/12/2027)" }).ClickAsync();
            await manufacturerPage.WaitForPathAsync("/bilan-annuel");
            problems.AddRange(await manufacturerPage.SeriousAccessibilityViolationsAsync());

            var rows = page.Locator("#elements tbody tr");
            Assert.Equal(3, await rows.CountAsync());
            // Forgetting the establishments of a used element is named, and the figures typed stay.
            await page.Locator("#Lines_0__Quantity").FillAsync("4");
            await page.Locator("#Lines_1__Quantity").FillAsync("0");
            await page.Locator("#Lines_2__Quantity").FillAsync("1");
            await page.Locator("#Lines_2__Establishments").FillAsync("CHU de Bordeaux");
            await page.Locator("label[for='ExtensionRequested']").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le bilan annuel" }).ClickAsync();
            await page.Locator("#resume-erreurs").WaitForAsync();
            Assert.StartsWith("Établissements — ", await page.Locator("#resume-erreurs li").First.InnerTextAsync());
            Assert.Equal("4", await page.Locator("#Lines_0__Quantity").InputValueAsync());
            Assert.True(await page.Locator("#ExtensionRequested").IsCheckedAsync());
            problems.AddRange(await manufacturerPage.SeriousAccessibilityViolationsAsync());

            await page.Locator("#Lines_0__Establishments").FillAsync("CHU de Lyon\nCHU de Bordeaux");
            await page.GetByRole(AriaRole.Button, new() { Name = "Déposer le bilan annuel" }).ClickAsync();
            await manufacturerPage.WaitForPathAsync($"/demandes/{reference}");
            Assert.Equal("Bilan annuel de la période close le 31/12/2027 déposé, avec une demande de prolongation de 12 mois.",
                await page.Locator(".fr-alert--success").InnerTextAsync());
            problems.AddRange(manufacturerPage.Problems);
        }

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("prolongation de 12 mois demandée", caseFile.Text("#bilans caption"), StringComparison.Ordinal);
        Assert.NotNull(caseFile.QuerySelector($"a[href='/instruction/{reference}/mesure?type=Extension']"));

        await using (var visitor = await NewPageAsync())
        {
            await visitor.Page.GotoAsync("/derogations-globales");
            Assert.Contains(reference, await visitor.Page.Locator("#registre").InnerTextAsync());
            problems.AddRange(await visitor.SeriousAccessibilityViolationsAsync());
            await visitor.Page.GotoAsync($"/signalements/nouveau?reference={reference}");
            problems.AddRange(await visitor.SeriousAccessibilityViolationsAsync());
            problems.AddRange(visitor.Problems);
        }

        Assert.Empty(problems);
    }
}
