using System.Net;
using System.Security.Claims;
using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Derogation.Tests.Infrastructure;

/// <summary>A user the tests created for real: organisation, account, role, confirmed e-mail, known password.</summary>
public sealed record TestUser(Guid Id, string Email, string Password, Guid OrganisationId, string Role);

/// <summary>
/// The portal, hosted for tests against its own copy of the migrated database, with its e-mails written to
/// its own pickup folder. Use it as a class fixture (one database per test class).
/// <see cref="StartRealServer"/> serves it on a loopback port for the browser.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Test-Password-2026";

    private DatabaseLease? _database;

    public string ConnectionString => _database?.ConnectionString ?? throw new InvalidOperationException("Not initialised.");

    public string MailDirectory { get; } = Path.Combine(Path.GetTempPath(), $"derogation-mail-{Guid.NewGuid():N}");

    /// <summary>The connection string the portal is given (a test class may add settings, e.g. a smaller pool).</summary>
    protected virtual string PortalConnectionString => ConnectionString;

    /// <summary>Tests keep the console quiet; a test that reads the log lowers this.</summary>
    protected virtual string MinimumLogLevel => "Warning";

    /// <summary>Form submissions allowed per minute and client on the account forms (high, except where a test measures it).</summary>
    protected virtual int AccountFormPostsPerMinute => 10_000;

    /// <summary>Extra hooks a test class may add to the app (e.g. a route that throws).</summary>
    protected virtual void ConfigureTestServices(IServiceCollection services)
    {
    }

    /// <summary>The clamd the portal scans uploads with (the run's shared one unless a test class brings its own).</summary>
    protected virtual Task<Derogation.Core.Documents.AntivirusOptions> AntivirusAsync() => TestAntivirus.OptionsAsync();

    private Derogation.Core.Documents.AntivirusOptions? _antivirus;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        _antivirus = await AntivirusAsync();
        await StartCompanionsAsync();
    }

    /// <summary>Servers a test class needs before the portal starts (a timestamp authority, a webhook receiver).</summary>
    protected virtual Task StartCompanionsAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
            _database = null;
        }

        if (Directory.Exists(MailDirectory))
        {
            Directory.Delete(MailDirectory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Test");
        builder.UseSetting("ConnectionStrings:Derogation", PortalConnectionString);
        builder.UseSetting("Mail:PickupDirectory", MailDirectory);
        builder.UseSetting("Antivirus:Host", _antivirus!.Host);
        builder.UseSetting("Antivirus:Port", _antivirus.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        // The expiry job runs in the tests on a clock they set, never on the real date (which would move their data).
        builder.UseSetting("Expiry:RunInBackground", "false");
        builder.UseSetting("ReviewAlerts:TeamEmail", "instruction-dm@ansm.example");
        builder.UseSetting("ReviewAlerts:RunInBackground", "false");
        builder.UseSetting("AuditAnchoring:RunInBackground", "false");
        builder.UseSetting("Accounts:FormPostsPerMinute", AccountFormPostsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["Serilog:MinimumLevel:Default"] = MinimumLogLevel }));
        builder.ConfigureServices(ConfigureTestServices);
    }

    /// <summary>A client that keeps cookies but does not follow redirects, so tests see each 302.</summary>
    public HttpClient CreateAnonymousClient() => CreateClientWithCookies(new CookieContainer());

    /// <summary>A client presenting this authentication cookie (as a second browser would with a copied cookie).</summary>
    public HttpClient CreateClientWithCookie(string authenticationCookie)
    {
        var cookies = new CookieContainer();
        cookies.Add(BaseAddress, new Cookie("derogation.auth", authenticationCookie));
        return CreateClientWithCookies(cookies);
    }

    private HttpClient CreateClientWithCookies(CookieContainer cookies) => _realServer is null
        ? CreateDefaultClient(BaseAddress, new CookieContainerHandler(cookies))
        // Once served by Kestrel (browser tests), HTTP clients talk to the same server; redirects are not followed either.
        : new HttpClient(new CookieContainerHandler(cookies) { InnerHandler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false } }) { BaseAddress = _realServer };

    private Uri BaseAddress => _realServer ?? InMemoryAddress;

    private static readonly Uri InMemoryAddress = new("http://localhost");

    private Uri? _realServer;

    /// <summary>
    /// Creates a user holding <paramref name="role"/>: in a new organisation of the matching kind (or in ANSM, or in
    /// <paramref name="organisationId"/>), with a confirmed e-mail and <see cref="Password"/>.
    /// </summary>
    public async Task<TestUser> CreateUserAsync(string role, bool organisationAdministrator = true, Guid? organisationId = null, string fullName = "Utilisateur Test",
        bool verifiedOrganisation = true)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var isAnsm = role is Roles.Reviewer or Roles.SeniorReviewer or Roles.Signatory or Roles.Administrator or Roles.Expert;
        if (organisationId is null && !isAnsm)
        {
            var organisation = new Organisation
            {
                Id = Guid.NewGuid(),
                Kind = role == Roles.Consultant ? OrganisationKind.Consultancy : OrganisationKind.Manufacturer,
                LegalName = $"{(role == Roles.Consultant ? "Cabinet" : "Fabricant")} {Guid.NewGuid():N}"[..24],
                Address = "1 rue de l'Essai, 75001 Paris",
                Country = "France",
                CreatedAt = DateTimeOffset.UtcNow,
                // Most tests are about something else: their organisation was checked by an administrator.
                VerifiedAt = verifiedOrganisation ? DateTimeOffset.UtcNow : null,
            };
            db.Organisations.Add(organisation);
            await db.SaveChangesAsync();
            organisationId = organisation.Id;
        }

        organisationId ??= AccountService.AnsmOrganisationId;
        var email = $"{role.ToLowerInvariant()}-{Guid.NewGuid():N}"[..30] + "@test.example";
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        var result = await accounts.CreateUserAsync(organisationId.Value, fullName, email, Password, role,
            organisationAdministrator && !isAnsm, emailConfirmed: true);
        await db.SaveChangesAsync();
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"Test user not created: {result.Error} {string.Join(", ", result.PasswordErrors?.Select(e => e.Code) ?? [])}");
        }

        return new TestUser(result.User!.Id, email, Password, organisationId.Value, role);
    }

    /// <summary>A client signed in as <paramref name="user"/>; ANSM staff have used their second factor unless told otherwise.</summary>
    public async Task<HttpClient> CreateClientForAsync(TestUser user, bool secondFactor = true)
    {
        var cookies = new CookieContainer();
        cookies.Add(BaseAddress, new Cookie("derogation.auth", await AuthenticationCookieForAsync(user, secondFactor)));
        return CreateClientWithCookies(cookies);
    }

    public async Task<HttpClient> CreateClientAsAsync(string role, bool organisationAdministrator = true) =>
        await CreateClientForAsync(await CreateUserAsync(role, organisationAdministrator));

    /// <summary>
    /// The authentication cookie the portal itself issues for this user: the principal comes from Identity's own
    /// claims factory, protected with the portal's keys; every request then goes through the real cookie handler.
    /// </summary>
    public async Task<string> AuthenticationCookieForAsync(TestUser user, bool secondFactor = true, DateTimeOffset? issuedAt = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        var principal = await signIn.CreateUserPrincipalAsync((await users.FindByIdAsync(user.Id.ToString()))!);
        if (secondFactor)
        {
            ((ClaimsIdentity)principal.Identity!).AddClaim(new Claim("amr", "mfa"));
        }

        var options = Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(IdentityConstants.ApplicationScheme);
        var issued = issuedAt ?? DateTimeOffset.UtcNow;
        var properties = new AuthenticationProperties { IssuedUtc = issued, ExpiresUtc = issued.AddHours(8) };
        return options.TicketDataFormat.Protect(new AuthenticationTicket(principal, properties, IdentityConstants.ApplicationScheme));
    }

    /// <summary>The e-mails the portal has written to its pickup folder so far.</summary>
    public IReadOnlyList<SentMail> SentMails() => Directory.Exists(MailDirectory)
        ? Directory.GetFiles(MailDirectory, "*.eml").Select(SentMail.Read).ToList()
        : [];

    /// <summary>The first e-mail matching <paramref name="match"/>, waiting for the outbox sender to deliver it (at most 30 s).</summary>
    public async Task<SentMail> WaitForMailAsync(Func<SentMail, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (SentMails().FirstOrDefault(match) is { } mail)
            {
                return mail;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"No matching e-mail after 30 s; {SentMails().Count} e-mail(s) in the pickup folder.");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Serves the portal with Kestrel on a free loopback port and returns its address (for Chromium).</summary>
    public Uri StartRealServer()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _realServer = new Uri(address);
        return _realServer;
    }
}
