using System.Net;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derogation.Tests.Audit;

/// <summary>The portal, with a real RFC 3161 timestamp authority (openssl ts) configured for anchoring.</summary>
public class AnchoringPortal : PortalFactory
{
    public LocalTimestampAuthority Authority { get; private set; } = null!;

    public const string AlertAddress = "securite@ansm.example";

    protected override async Task StartCompanionsAsync() => Authority = await LocalTimestampAuthority.StartAsync();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("AuditAnchoring:TimestampAuthorityUrl", Authority.Address.ToString());
        builder.UseSetting("AuditAnchoring:AlertEmail", AlertAddress);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Authority.DisposeAsync();
    }

    public async Task WriteEventsAsync(int count)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        for (var i = 0; i < count; i++)
        {
            db.Record(TimeProvider.System, AuditActions.SignedIn, Guid.NewGuid(), "User", Guid.NewGuid().ToString(), $"event {i}");
        }

        await db.SaveChangesAsync();
    }

    public async Task<T> WithAnchoringAsync<T>(Func<AuditAnchoring, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<AuditAnchoring>());
    }
}

public sealed class AuditAnchoringTests(AnchoringPortal portal) : IClassFixture<AnchoringPortal>
{
    [Fact]
    public async Task DailyRun_AnchorsTheLastHash_WithATokenThatOpenSslVerifies_AndRunsOnceADay()
    {
        await portal.WriteEventsAsync(4);

        var verification = await portal.WithAnchoringAsync(a => a.RunDailyAsync());
        Assert.NotNull(verification);
        Assert.True(verification.Intact);

        await using var db = new DerogationDbContext(DerogationDbContext.Options(portal.ConnectionString));
        var last = await db.AuditEvents.OrderByDescending(e => e.ChainPosition).FirstAsync();
        var anchor = Assert.Single(await db.AuditAnchors.ToListAsync());
        Assert.Equal(last.Hash, anchor.Hash);
        Assert.Equal(last.ChainPosition, anchor.ChainPosition);
        Assert.True(Math.Abs((anchor.StampedAt - DateTimeOffset.UtcNow).TotalMinutes) < 5, "The authority's time is now.");

        // The token, as an administrator downloads it, verifies outside the portal against the authority's CA.
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var page = await Html.ParseAsync(await admin.GetAsync("/admin/journal-audit"));
        Assert.Contains(anchor.Hash, page.QuerySelector("#ancrages")!.TextContent);
        var tokenLink = page.QuerySelector("#ancrages a.fr-link--download")!.GetAttribute("href")!;
        var download = await admin.GetAsync(tokenLink);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var tokenFile = Path.Combine(portal.Authority.Directory, "anchor.tsr");
        await File.WriteAllBytesAsync(tokenFile, await download.Content.ReadAsByteArrayAsync());
        var (exitCode, output) = await LocalTimestampAuthority.RunOpenSslAsync(portal.Authority.Directory,
            $"ts -verify -token_in -in {tokenFile} -digest {anchor.Hash} -CAfile {portal.Authority.CaCertificate}");
        Assert.True(exitCode == 0, output);
        Assert.Contains("Verification: OK", output);

        // The token does not verify for another hash: it is bound to this one.
        var other = new string('0', 64);
        var (otherExit, _) = await LocalTimestampAuthority.RunOpenSslAsync(portal.Authority.Directory,
            $"ts -verify -token_in -in {tokenFile} -digest {other} -CAfile {portal.Authority.CaCertificate}");
        Assert.NotEqual(0, otherExit);

        // A second run the same day (another instance, the next check) does nothing.
        var queries = portal.Authority.Queries;
        Assert.Null(await portal.WithAnchoringAsync(a => a.RunDailyAsync()));
        Assert.Equal(queries, portal.Authority.Queries);
        Assert.Single(await db.AuditAnchors.ToListAsync());

        // Readiness stays healthy with an intact chain.
        Assert.Equal(HttpStatusCode.OK, (await portal.CreateAnonymousClient().GetAsync("/health/ready")).StatusCode);
    }
}

/// <summary>Its own database: the test rewrites an event behind the portal's back.</summary>
public sealed class AuditTamperingTests(AnchoringPortal portal) : IClassFixture<AnchoringPortal>
{
    [Fact]
    public async Task TamperedEvent_IsFound_AdministratorsAlerted_ReadinessFails_AndNothingAnchored()
    {
        var administrator = await portal.CreateUserAsync(Roles.Administrator);
        await portal.WriteEventsAsync(5);
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand("""
                ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
                UPDATE audit_events SET details = 'rewritten' WHERE chain_position = 3;
                ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
                """, connection);
            await tamper.ExecuteNonQueryAsync();
        }

        var verification = await portal.WithAnchoringAsync(a => a.RunDailyAsync());
        Assert.Equal(3, verification!.FirstBrokenPosition);
        Assert.Equal(0, portal.Authority.Queries);

        var ready = await portal.CreateAnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        var detail = await ready.Content.ReadAsStringAsync();
        Assert.StartsWith("Unhealthy", detail);
        Assert.Contains("audit-chain: Audit chain broken at position 3", detail);

        var alert = await portal.WaitForMailAsync(m => m.To == AnchoringPortal.AlertAddress);
        Assert.Equal("Journal d'audit : la chaîne est rompue", alert.Subject);
        Assert.Contains("position 3", alert.Body);
        Assert.Contains(portal.SentMails(), m => m.To == administrator.Email && m.Subject == alert.Subject);

        // The administrator sees it and verifies again on demand: still broken, and not told twice.
        var admin = await portal.CreateClientForAsync(administrator);
        var page = await Html.ParseAsync(await admin.GetAsync("/admin/journal-audit"));
        Assert.Contains("rompue à la position 3", page.QuerySelector("#etat")!.TextContent);
        var mailsBefore = portal.SentMails().Count;
        var posted = await admin.SubmitPairsAsync("/admin/journal-audit?handler=Verify", []);
        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        var after = await Html.ParseAsync(await admin.GetAsync("/admin/journal-audit"));
        Assert.Contains("Chaîne vérifiée : rompue à la position 3.", after.QuerySelector("#confirmation")!.TextContent);
        Assert.Contains("Un administrateur", after.QuerySelector("#verifications")!.TextContent);
        await Task.Delay(500);
        Assert.Equal(mailsBefore, portal.SentMails().Count);
    }
}

/// <summary>Its own database: the authority is out of reach at the first run of the day.</summary>
public sealed class AuditAnchoringRetryTests(AnchoringPortal portal) : IClassFixture<AnchoringPortal>
{
    [Fact]
    public async Task AuthorityOutOfReach_KeepsTheVerification_AndTheNextCheckAnchors()
    {
        await portal.WriteEventsAsync(3);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var unreachable = new AuditAnchoring(services.GetRequiredService<DerogationDbContext>(),
                new AuditAnchoringOptions { TimestampAuthorityUrl = "http://127.0.0.1:9/tsa" }, TimeProvider.System, new HttpClient());
            await Assert.ThrowsAsync<HttpRequestException>(() => unreachable.RunDailyAsync());
        }

        await using var db = new DerogationDbContext(DerogationDbContext.Options(portal.ConnectionString));
        Assert.True((await db.AuditVerifications.SingleAsync()).Intact);
        Assert.Empty(await db.AuditAnchors.ToListAsync());

        // The next check, the authority back: no second verification, the anchor made.
        Assert.Null(await portal.WithAnchoringAsync(a => a.RunDailyAsync()));
        Assert.Single(await db.AuditVerifications.ToListAsync());
        var anchor = Assert.Single(await db.AuditAnchors.ToListAsync());
        Assert.Equal((await db.AuditVerifications.SingleAsync()).LastHash, anchor.Hash);
    }
}
