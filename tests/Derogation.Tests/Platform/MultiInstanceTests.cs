using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;
using Yarp.ReverseProxy.Model;

namespace Derogation.Tests.Platform;

/// <summary>
/// Two portal processes on one database behind a reverse proxy (YARP, round robin), as production runs several
/// instances. The in-process portal only prepares data (users, a granted derogation); it shares the database and
/// the e-mail pickup folder, so three outbox senders compete for every message.
/// </summary>
public sealed class TwoInstances : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();

    public PortalProcess A { get; private set; } = null!;

    public PortalProcess B { get; private set; } = null!;

    public Uri ProxyAddress { get; private set; } = null!;

    /// <summary>A global derogation ending in ten days, granted before the instances started: each one's first expiry run finds it.</summary>
    public string ExpiringReference { get; private set; } = "";

    /// <summary>How many requests the proxy passed to each instance ("a", "b").</summary>
    public ConcurrentDictionary<string, int> Served { get; } = new();

    private WebApplication? _proxy;

    public async Task InitializeAsync()
    {
        await Portal.InitializeAsync();
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitGlobalAsync(await Portal.CreateClientForAsync(manufacturer));
        var validUntil = FrenchTime.Today(TimeProvider.System).AddDays(10);
        await Portal.GrantAsync(reference, new Dictionary<string, string> { ["Conditions.ValidUntil"] = validUntil.ToString("yyyy-MM-dd") });
        ExpiringReference = reference;

        var antivirus = await TestAntivirus.OptionsAsync();
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Derogation"] = Portal.ConnectionString,
            ["Mail:PickupDirectory"] = Portal.MailDirectory,
            ["Antivirus:Host"] = antivirus.Host!,
            ["Antivirus:Port"] = antivirus.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Portal:BaseUrl"] = "https://derogations.test",
            ["Expiry:RunInBackground"] = "true",
            ["Accounts:FormPostsPerMinute"] = "10000",
            ["Serilog:MinimumLevel:Default"] = "Warning",
            ["Serilog:MinimumLevel:Override:Derogation.Web.Notifications.ExpiryWorker"] = "Debug",
        };
        // Started together: both migrate at once (the advisory lock serialises them) and both run the expiry job.
        var started = await Task.WhenAll(PortalProcess.StartAsync("A", settings), PortalProcess.StartAsync("B", settings));
        (A, B) = (started[0], started[1]);
        await StartProxyAsync();
    }

    private async Task StartProxyAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = Path.GetTempPath() });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "portal", ClusterId = "portal", Match = new RouteMatch { Path = "{**rest}" } }],
            [new ClusterConfig
            {
                ClusterId = "portal",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                Destinations = new Dictionary<string, DestinationConfig>
                {
                    ["a"] = new() { Address = A.Address.ToString() },
                    ["b"] = new() { Address = B.Address.ToString() },
                },
            }]);
        _proxy = builder.Build();
        _proxy.MapReverseProxy(pipeline => pipeline.Use(async (context, next) =>
        {
            await next();
            if (context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination?.DestinationId is { } destination
                && context.Response.StatusCode < 500)
            {
                Served.AddOrUpdate(destination, 1, (_, count) => count + 1);
            }
        }));
        await _proxy.StartAsync();
        ProxyAddress = new Uri(_proxy.Urls.First());
    }

    /// <summary>A browser talking to <paramref name="address"/> (the proxy unless told): its own cookies, redirects not followed.</summary>
    public static HttpClient Browser(Uri address, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<HttpClient> SignedInThroughProxyAsync(TestUser user)
    {
        var client = Browser(ProxyAddress);
        var signedIn = await client.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        return client;
    }

    /// <summary>
    /// Waits until the outbox has nothing left to send, then checks that the pickup folder holds exactly one e-mail per
    /// message sent: had two instances sent the same message, there would be more files than messages.
    /// </summary>
    public async Task AssertEachMessageSentOnceAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(45);
        int files, sent, unsent;
        do
        {
            await Task.Delay(300);
            await using var scope = Portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            sent = await db.OutboxMessages.CountAsync(m => m.SentAt != null);
            unsent = await db.OutboxMessages.CountAsync(m => m.SentAt == null);
            files = Portal.SentMails().Count;
        }
        while ((unsent > 0 || files != sent) && DateTime.UtcNow < deadline);

        Assert.Equal(0, unsent);
        Assert.True(sent > 0, "No message was sent at all.");
        Assert.Equal(sent, files);
    }

    public async Task DisposeAsync()
    {
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        await A.DisposeAsync();
        await B.DisposeAsync();
        await Portal.DisposeAsync();
    }
}

public sealed class MultiInstanceTests(TwoInstances instances) : IClassFixture<TwoInstances>
{
    private PortalFactory Portal => instances.Portal;

    [Fact]
    public async Task ASessionOpenedOnOneInstance_WorksOnTheOther_AndSignOutOnOneEndsItOnBoth()
    {
        var user = await Portal.CreateUserAsync(Roles.Manufacturer);
        var cookies = new CookieContainer();
        // One browser: the same cookies go to both instances (cookies are not scoped by port), as behind the proxy.
        var onA = TwoInstances.Browser(instances.A.Address, cookies);
        var onB = TwoInstances.Browser(instances.B.Address, cookies);
        var signedIn = await onA.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var session = cookies.GetCookies(instances.A.Address)["derogation.auth"]!.Value;

        var onTheOther = await onB.GetAsync("/demandes");
        Assert.Equal(HttpStatusCode.OK, onTheOther.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/demandes")).StatusCode);

        // Signed out through B; the same session cookie replayed on A (which had just accepted it) no longer opens anything.
        var home = await Html.ParseAsync(await onB.GetAsync("/"));
        Assert.Equal(HttpStatusCode.Redirect, (await onB.SubmitAsync(home, "/", new Dictionary<string, string>(), "form[action='/compte/deconnexion']")).StatusCode);
        foreach (var instance in new[] { instances.A, instances.B })
        {
            var replay = new CookieContainer();
            replay.Add(instance.Address, new Cookie("derogation.auth", session));
            var copy = TwoInstances.Browser(instance.Address, replay);
            // An instance trusts a stamp it checked for at most 2 seconds (AccountPresence); then the sign-out reaches it.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            HttpResponseMessage response;
            do
            {
                response = await copy.GetAsync("/demandes");
            }
            while (response.StatusCode == HttpStatusCode.OK && DateTime.UtcNow < deadline && await Delay());

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/compte/connexion", response.Headers.Location!.AbsolutePath);
        }
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }

    [Fact]
    public async Task ConcurrentSubmissionsThroughBothInstances_GetUniqueGapFreeReferences_AndEachReceiptIsSentOnce()
    {
        var user = await Portal.CreateUserAsync(Roles.Manufacturer);
        var client = await instances.SignedInThroughProxyAsync(user);
        var drafts = new List<Guid>();
        for (var i = 0; i < 8; i++)
        {
            drafts.Add(await Filing.IndividualReadyToSubmitAsync(client));
        }

        var references = await Task.WhenAll(drafts.Select(id => Filing.SubmitDraftAsync(client, id)));

        Assert.Equal(8, references.Distinct().Count());
        var numbers = references.Select(r => Regex.Match(r, @"^DIV-(\d{4})-(\d{5})$")).Select(m => (Year: m.Groups[1].Value, Number: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Single(numbers.Select(n => n.Year).Distinct());
        Assert.Equal(Enumerable.Range(numbers.Min(n => n.Number), 8), numbers.Select(n => n.Number).Order());
        Assert.True(instances.Served.GetValueOrDefault("a") > 0 && instances.Served.GetValueOrDefault("b") > 0, "The proxy should have used both instances.");

        await instances.AssertEachMessageSentOnceAsync();
        foreach (var reference in references)
        {
            Assert.Single(Portal.SentMails(), m => m.To == user.Email && m.Subject.Contains(reference, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task BothInstancesRunTheExpiryJob_YetEachReminderIsSentOnce()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(instances.A.Output.Contains("Expiry: run finished", StringComparison.Ordinal) && instances.B.Output.Contains("Expiry: run finished", StringComparison.Ordinal))
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.Contains("Expiry: run finished", instances.A.Output, StringComparison.Ordinal);
        Assert.Contains("Expiry: run finished", instances.B.Output, StringComparison.Ordinal);
        await instances.AssertEachMessageSentOnceAsync();
        // Ten days before the end: both thresholds (60 and 14 days) are due, once each.
        var reminders = Portal.SentMails().Where(m => m.Subject.StartsWith($"Dérogation {instances.ExpiringReference} : fin de validité", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, reminders.Count);
    }

    /// <summary>
    /// Each instance remembers the drafts it saved (RememberedDrafts), to save the next step in one statement: a step
    /// saved on the other instance in between must never be overwritten by what the first one remembers.
    /// </summary>
    [Fact]
    public async Task AStepSavedOnTheOtherInstance_IsKept_WhenTheFirstSavesAgain()
    {
        var (onA, onB, id) = await DraftOnBothInstancesAsync();
        using var _ = onA;
        using var __ = onB;
        var parties = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "parties").Fields) { ["action"] = "continuer" };
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SubmitAsync($"/demandes/{id}/parties", parties)).StatusCode);

        var device = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "dispositif").Fields) { ["action"] = "continuer" };
        Assert.Equal(HttpStatusCode.Redirect, (await onB.SubmitAsync($"/demandes/{id}/dispositif", device)).StatusCode);

        // Saved again on A, straight away (the token read from a page that does not read the draft, and no row version
        // posted): A still remembers the draft as it was before B's save.
        var again = parties.Select(p => p.Key == "Input.ContactName" ? KeyValuePair.Create(p.Key, "Contact enregistré sur A") : p);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SubmitPairsAsync($"/demandes/{id}/parties", again, tokenPage: "/demandes/individuelle/nouvelle")).StatusCode);

        await using var scope = Portal.Services.CreateAsyncScope();
        var draft = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal("Contact enregistré sur A", draft.Answers.Parties.ContactName);
        Assert.Equal(device["Input.TradeName"], draft.Answers.Device.TradeName);
    }

    /// <summary>A manufacturer signed in once, one browser per instance sharing its cookies, and a draft begun on A.</summary>
    private async Task<(HttpClient OnA, HttpClient OnB, Guid Draft)> DraftOnBothInstancesAsync()
    {
        var user = await Portal.CreateUserAsync(Roles.Manufacturer);
        var cookies = new CookieContainer();
        var onA = TwoInstances.Browser(instances.A.Address, cookies);
        var onB = TwoInstances.Browser(instances.B.Address, cookies);
        Assert.Equal(HttpStatusCode.Redirect, (await onA.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password })).StatusCode);
        var started = await onA.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        return (onA, onB, Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]));
    }

    [Fact]
    public async Task AStepShownOnOneInstance_AndSavedOnTheOtherSince_IsRefusedWithAClearMessage_AndNothingIsOverwritten()
    {
        var (onA, onB, id) = await DraftOnBothInstancesAsync();
        using var _ = onA;
        using var __ = onB;
        var parties = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "parties").Fields) { ["action"] = "plus-tard" };
        var shownOnA = await Html.ParseAsync(await onA.GetAsync($"/demandes/{id}/parties"));

        // A colleague saves the same step on B; then the page A showed earlier is posted back to A.
        Assert.Equal(HttpStatusCode.Redirect, (await onB.SubmitAsync($"/demandes/{id}/parties", parties)).StatusCode);
        var refused = await Html.ParseAsync(await onA.SubmitAsync(shownOnA, $"/demandes/{id}/parties",
            new Dictionary<string, string>(parties) { ["Input.ContactName"] = "Quelqu'un d'autre" }));

        Assert.StartsWith("Ce brouillon a été modifié entre-temps", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Quelqu'un d'autre", refused.QuerySelector("#Input_ContactName")!.GetAttribute("value"));
        await using var scope = Portal.Services.CreateAsyncScope();
        var draft = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
        Assert.Equal(parties["Input.ContactName"], draft.Answers.Parties.ContactName);
    }

    [Fact]
    public async Task AnInstanceKilledMidLoad_LosesNoSavedStep()
    {
        const int writers = 6, savesEach = 12;
        var user = await Portal.CreateUserAsync(Roles.Manufacturer);
        var clients = new List<(HttpClient Client, Guid Draft)>();
        for (var w = 0; w < writers; w++)
        {
            var client = await instances.SignedInThroughProxyAsync(user);
            var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
            clients.Add((client, Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2])));
        }

        var parties = WizardFill.Individual.Single(s => s.Slug == "parties").Fields;
        var acknowledged = new int[writers];
        var total = 0;
        var retried = 0;
        Task? kill = null;
        try
        {
            await Task.WhenAll(clients.Select(async (writer, w) =>
            {
                for (var i = 1; i <= savesEach; i++)
                {
                    var values = new Dictionary<string, string>(parties) { ["Input.ContactName"] = $"Contact {w}-{i}", ["action"] = "continuer" };
                    // As a user would: a save that failed (the instance died under it) is sent again until it is acknowledged.
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            var path = $"/demandes/{writer.Draft}/parties";
                            var form = await writer.Client.GetAsync(path);
                            var response = form.StatusCode == HttpStatusCode.OK
                                ? await writer.Client.SubmitAsync(await Html.ParseAsync(form), path, values)
                                : form;
                            if (response.StatusCode == HttpStatusCode.Redirect)
                            {
                                break;
                            }

                            Assert.True((int)response.StatusCode >= 500, $"Save answered {(int)response.StatusCode}.");
                        }
                        catch (HttpRequestException)
                        {
                        }

                        // Round robin still sends half the requests to the dead instance, and a save needs its GET and its
                        // POST to land on the live one: 20 tries failed by chance about once in 300 saves; 100 never do.
                        Assert.True(attempt < 100, "A save was never acknowledged.");
                        Interlocked.Increment(ref retried);
                        await Task.Delay(100);
                    }

                    acknowledged[w] = i;
                    if (Interlocked.Increment(ref total) == writers * savesEach / 3)
                    {
                        kill = instances.A.KillAsync();
                    }
                }
            }));
            await kill!;

            Assert.All(acknowledged, count => Assert.Equal(savesEach, count));
            Assert.True(retried > 0, "Instance A was killed mid-load: some saves must have failed and been sent again.");
            await using var scope = Portal.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            for (var w = 0; w < writers; w++)
            {
                var draft = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == clients[w].Draft);
                Assert.Equal($"Contact {w}-{savesEach}", draft.Answers.Parties.ContactName);
            }
        }
        finally
        {
            // The other tests of the class go on with two instances.
            if (kill is not null)
            {
                await kill;
                await instances.A.StartAsync();
            }
        }
    }
}
