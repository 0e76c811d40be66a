using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// A browser test class: its own portal (and database) served by Kestrel on a loopback port, Chromium from the
/// collection fixture, and pages signed in as a given user with the portal's own cookie.
/// </summary>
[Collection(BrowserCollection.Name)]
public abstract class BrowserTest(Browser browser) : IAsyncLifetime
{
    protected PortalFactory Portal { get; } = new();

    protected Uri Address { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Portal.InitializeAsync();
        Address = Portal.StartRealServer();
    }

    public async Task DisposeAsync() => await Portal.DisposeAsync();

    protected Task<BrowserPage> NewPageAsync() => browser.NewPageAsync(Address);

    protected async Task<BrowserPage> SignedInPageAsync(TestUser user)
    {
        var page = await browser.NewPageAsync(Address);
        await page.Page.Context.AddCookiesAsync(
            [new Cookie { Name = "derogation.auth", Value = await Portal.AuthenticationCookieForAsync(user), Url = Address.ToString() }]);
        return page;
    }
}
