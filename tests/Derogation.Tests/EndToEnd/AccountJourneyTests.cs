using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

public sealed class AccountJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task AnsmAdministrator_MustSetUpTheAuthenticatorApp_BeforeAnyAnsmPage()
    {
        var administrator = await Portal.CreateUserAsync(Roles.Administrator);
        await using var browserPage = await NewPageAsync();
        var page = browserPage.Page;

        await page.GotoAsync("/admin");
        Assert.EndsWith("/compte/connexion?retour=%2Fadmin", page.Url);
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.Locator("#Input_Email").FillAsync(administrator.Email);
        await page.Locator("#Input_Password").FillAsync(administrator.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();

        // Signed in with a password only: the administration is not reachable, the set-up page is.
        await page.WaitForURLAsync("**/compte/double-authentification?retour=%2Fadmin");
        Assert.Equal("Activer la vérification en deux étapes", await page.Locator("h1").InnerTextAsync());
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        var key = await page.Locator("#cle-authentification").InnerTextAsync();
        Assert.StartsWith("otpauth://totp/", await page.Locator("#uri-authentification").InnerTextAsync());

        // A wrong code is refused and explained.
        await page.GetByLabel("Code de vérification").FillAsync("000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        Assert.StartsWith("Ce code n'est pas valide", await page.Locator("#Code-messages").InnerTextAsync());

        await page.GetByLabel("Code de vérification").FillAsync(Totp.Code(key));
        await page.GetByRole(AriaRole.Button, new() { Name = "Activer" }).ClickAsync();
        Assert.Equal(10, await page.Locator("#codes-de-secours li").CountAsync());
        var recoveryCode = await page.Locator("#codes-de-secours li").First.InnerTextAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Continuer" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");
        Assert.Equal("Administration", await page.Locator("h1").InnerTextAsync());

        // Next time: password, then a fresh code from the app.
        await page.Locator("header form[action='/compte/deconnexion'] button").First.ClickAsync();
        await page.GotoAsync("/compte/connexion?retour=%2Fadmin");
        await page.Locator("#Input_Email").FillAsync(administrator.Email);
        await page.Locator("#Input_Password").FillAsync(administrator.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/compte/connexion/deux-facteurs?retour=%2Fadmin");
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        await page.GetByLabel("Code de vérification").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.WaitForURLAsync("**/admin");

        // And once more with a recovery code instead of the app.
        await page.Locator("header form[action='/compte/deconnexion'] button").First.ClickAsync();
        await page.GotoAsync("/compte/connexion?retour=%2Fadmin%2Fcomptes-ansm");
        await page.Locator("#Input_Email").FillAsync(administrator.Email);
        await page.Locator("#Input_Password").FillAsync(administrator.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Se connecter", Exact = true }).ClickAsync();
        await page.WaitForURLAsync("**/compte/connexion/deux-facteurs**");
        await page.Locator("details summary").ClickAsync();
        await page.GetByLabel("Code de secours").FillAsync(recoveryCode);
        await page.GetByRole(AriaRole.Button, new() { Name = "Continuer" }).ClickAsync();
        await page.WaitForURLAsync("**/admin/comptes-ansm");
        Assert.Equal("Oui", await page.Locator("tbody tr", new() { HasText = administrator.Email }).Locator("td").Nth(3).InnerTextAsync());
        Assert.Empty(browserPage.Problems);
    }

    [Fact]
    public async Task RegistrationForm_WithErrors_IsAccessible_InFrenchAndEnglish()
    {
        await using var browserPage = await NewPageAsync();
        var page = browserPage.Page;
        foreach (var language in new[] { "fr", "en" })
        {
            await page.GotoAsync($"/langue/{language}?retour=%2Fcompte%2Finscription");
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("main form button[type=submit]").ClickAsync();
            await page.WaitForSelectorAsync("#resume-erreurs");
            // The keyboard and the screen reader start at the summary of what to fix, not at the top of the page.
            await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.id === 'resume-erreurs'");
            Assert.Equal("resume-erreurs", await page.EvaluateAsync<string>("() => document.activeElement.id"));
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        }

        Assert.Equal("There is a problem", await page.Locator("#resume-erreurs h2").InnerTextAsync());
        Assert.Empty(browserPage.Problems);
    }

    [Theory]
    [InlineData(Roles.Manufacturer, "/mandats")]
    [InlineData(Roles.Manufacturer, "/organisation/membres")]
    [InlineData(Roles.Manufacturer, "/demandes")]
    [InlineData(Roles.Consultant, "/mandats/lettre")]
    [InlineData(Roles.Administrator, "/admin/comptes-ansm")]
    [InlineData(Roles.Administrator, "/admin/mandats")]
    [InlineData(Roles.Administrator, "/admin/modeles")]
    [InlineData(Roles.Reviewer, "/instruction")]
    public async Task SignedInPages_AreAccessible(string role, string path)
    {
        var user = await Portal.CreateUserAsync(role);
        await using var browserPage = await SignedInPageAsync(user);

        var response = await browserPage.Page.GotoAsync(path);
        Assert.Equal(200, response!.Status);
        Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        // A form submitted empty shows its errors, which must be accessible too.
        var submit = browserPage.Page.Locator("main form[novalidate] button[type=submit]").Last;
        if (await submit.CountAsync() > 0)
        {
            await submit.ClickAsync();
            await browserPage.Page.WaitForSelectorAsync("#resume-erreurs");
            Assert.Empty(await browserPage.SeriousAccessibilityViolationsAsync());
        }

        Assert.Empty(browserPage.Problems);
    }
}
