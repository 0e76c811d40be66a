using System.Security.Claims;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// The portal, hosted for tests against its own copy of the migrated database. Use it as a class fixture
/// (one database per test class). <see cref="StartRealServer"/> serves it on a loopback port for the browser.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private DatabaseLease? _database;

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised.");

    /// <summary>Tests keep the console quiet; a test that reads the log lowers this.</summary>
    protected virtual string MinimumLogLevel => "Warning";

    /// <summary>Extra hooks a test class may add to the app (e.g. a route that throws).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    public async Task InitializeAsync() => _database = await TestDatabase.CreateAsync();

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting("ConnectionStrings:Derogation", ConnectionString);
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = MinimumLogLevel }));
        builder.ConfigureServices(ConfigureTestServices);
    }

    /// <summary>A client that does not follow redirects, so tests see the 302 to the sign-in page.</summary>
    public HttpClient CreateAnonymousClient() =>
        CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>A client signed in with the portal's own authentication cookie for a user holding <paramref name="role"/>.</summary>
    public HttpClient CreateClientAs(string role, string organisationId = "org-test")
    {
        var client = CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("Cookie", $"derogation.auth={AuthenticationCookieFor(role, organisationId)}");
        return client;
    }

    /// <summary>
    /// The value of the authentication cookie the portal itself would issue for such a user, protected with
    /// the portal's data-protection keys. It goes through the real cookie handler on every request.
    /// </summary>
    public string AuthenticationCookieFor(string role, string organisationId = "org-test")
    {
        if (!Roles.All.Contains(role))
        {
            throw new ArgumentException($"Unknown role {role}.", nameof(role));
        }

        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, Guid.NewGuid().ToString()), new Claim(ClaimTypes.Role, role), new Claim("organisation", organisationId)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>()
            .Get(CookieAuthenticationDefaults.AuthenticationScheme);
        return options.TicketDataFormat.Protect(new AuthenticationTicket(new ClaimsPrincipal(identity), CookieAuthenticationDefaults.AuthenticationScheme));
    }

    /// <summary>Serves the portal with Kestrel on a free loopback port and returns its address (for Chromium).</summary>
    public Uri StartRealServer()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }
}
