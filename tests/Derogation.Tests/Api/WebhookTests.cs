using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Derogation.Tests.Api;

/// <summary>A receiver the test runs on loopback: it records every request, and answers 500 to the first one.</summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _server;

    public ConcurrentQueue<(DateTimeOffset At, Dictionary<string, string> Headers, string Body, int Answered)> Requests { get; } = new();

    public Uri Address { get; }

    private WebhookReceiver(WebApplication server, Uri address) => (_server, Address) = (server, address);

    public static async Task<WebhookReceiver> StartAsync()
    {
        WebhookReceiver? receiver = null;
        var (server, address) = await LoopbackServer.StartAsync("/evenements", app => app.MapPost("/evenements", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var status = receiver!.Requests.IsEmpty ? 500 : 200;
            receiver.Requests.Enqueue((DateTimeOffset.UtcNow, context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), body, status));
            context.Response.StatusCode = status;
        }));
        receiver = new WebhookReceiver(server, address);
        return receiver;
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}

public sealed class WebhookTests(WebhookTests.Factory portal) : IClassFixture<WebhookTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        public WebhookReceiver Receiver { get; private set; } = null!;

        protected override async Task StartCompanionsAsync() => Receiver = await WebhookReceiver.StartAsync();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // The receiver is on this machine over HTTP; retries a second apart, so the test does not wait minutes.
            builder.UseSetting("Webhooks:AllowInsecureLoopback", "true");
            builder.UseSetting("Webhooks:RetryBaseSeconds", "1");
            builder.UseSetting("Webhooks:PollSeconds", "1");
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            await Receiver.DisposeAsync();
        }
    }

    [Fact]
    public async Task StatusChange_IsDeliveredOnce_Signed_RetriedAfterA500_WithoutPatientData_AndLogged()
    {
        var administrator = await portal.CreateClientAsAsync(Roles.Manufacturer);

        // Refused: not HTTPS (a public address), not an address at all — the field named, what was typed kept.
        var notHttps = await Html.ParseAsync(await administrator.SubmitAsync("/organisation/webhooks", new Dictionary<string, string> { ["Address"] = "http://sir.example/evenements" }, "#ajouter-point"));
        Assert.Equal(["L'adresse doit commencer par https:// : les messages ne circulent que chiffrés."], notHttps.Texts("#resume-erreurs li"));
        Assert.Equal("http://sir.example/evenements", notHttps.QuerySelector("#Address")!.GetAttribute("value"));

        var registered = await administrator.SubmitAsync("/organisation/webhooks", new Dictionary<string, string> { ["Address"] = portal.Receiver.Address.ToString() }, "#ajouter-point");
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var secret = (await Html.ParseAsync(await administrator.GetAsync("/organisation/webhooks"))).Text("#secret");
        Assert.StartsWith(Webhooks.SecretPrefix, secret, StringComparison.Ordinal);
        Assert.Null((await Html.ParseAsync(await administrator.GetAsync("/organisation/webhooks"))).QuerySelector("#secret"));

        var (reference, id) = await Filing.SubmitIndividualAsync(administrator);

        // The first attempt gets a 500; the retry a second later gets a 200; nothing after that.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (portal.Receiver.Requests.Count < 2 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        await Task.Delay(3000);
        var requests = portal.Receiver.Requests.ToList();
        Assert.Equal(2, requests.Count);
        Assert.Equal([500, 200], requests.Select(r => r.Answered));
        Assert.Equal(requests[0].Body, requests[1].Body);
        Assert.Equal(requests[0].Headers[WebhookSender.DeliveryHeader], requests[1].Headers[WebhookSender.DeliveryHeader]);

        foreach (var request in requests)
        {
            // The signature verifies, over the timestamp and the body, with the secret shown once; the timestamp is now.
            var timestamp = long.Parse(request.Headers[WebhookSender.TimestampHeader], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) < 300);
            Assert.Equal("sha256=" + Webhooks.Sign(secret, timestamp, request.Body), request.Headers[WebhookSender.SignatureHeader]);
            Assert.NotEqual("sha256=" + Webhooks.Sign(secret, timestamp + 1, request.Body), request.Headers[WebhookSender.SignatureHeader]);
        }

        // References and statuses only.
        var payload = JsonNode.Parse(requests[0].Body)!.AsObject();
        Assert.Equal(["id", "type", "occurredAt", "application"], payload.Select(p => p.Key));
        Assert.Equal(["id", "reference", "kind", "previousStatus", "status"], payload["application"]!.AsObject().Select(p => p.Key));
        Assert.Equal(reference, (string?)payload["application"]!["reference"]);
        Assert.Equal(id.ToString(), (string?)payload["application"]!["id"]);
        Assert.Equal("Draft", (string?)payload["application"]!["previousStatus"]);
        Assert.Equal("Submitted", (string?)payload["application"]!["status"]);
        foreach (var patientValue in new[] { "1962", "Adrénoleucodystrophie", "Fontaine", "GenoScreen" })
        {
            Assert.DoesNotContain(patientValue, requests[0].Body);
        }

        // The log says so.
        var log = await Html.ParseAsync(await administrator.GetAsync("/organisation/webhooks"));
        var row = log.QuerySelectorAll("#journal tbody tr").Single(r => r.TextContent.Contains(reference, StringComparison.Ordinal));
        Assert.Contains("Brouillon → Déposée", row.TextContent);
        Assert.Contains("Livré", row.TextContent);
        Assert.Contains("HTTP 200", row.TextContent);

        // Stopped: the next change is not sent.
        var page = await Html.ParseAsync(await administrator.GetAsync("/organisation/webhooks"));
        Assert.Equal(HttpStatusCode.Redirect, (await administrator.SubmitAsync(page, "/organisation/webhooks", new Dictionary<string, string>(), "#points form")).StatusCode);
        await Filing.TakeAsync(await portal.CreateClientAsAsync(Roles.Reviewer), reference);
        await Task.Delay(2500);
        Assert.Equal(2, portal.Receiver.Requests.Count);
    }

    [Fact]
    public async Task AnotherOrganisationsEndpoint_CannotBeStopped_AndAMemberCannotRegister()
    {
        var owner = await portal.CreateClientAsAsync(Roles.Manufacturer);
        await owner.SubmitAsync("/organisation/webhooks", new Dictionary<string, string> { ["Address"] = "https://sir.example/evenements" }, "#ajouter-point");
        var endpointAction = (await Html.ParseAsync(await owner.GetAsync("/organisation/webhooks"))).QuerySelector("#points form")!.GetAttribute("action")!;

        var other = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await other.SubmitPairsAsync(endpointAction, [], "/organisation/webhooks")).StatusCode);
        var member = await portal.CreateClientAsAsync(Roles.Manufacturer, organisationAdministrator: false);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/organisation/webhooks")).StatusCode);
        Assert.Contains("https://sir.example/evenements", (await Html.ParseAsync(await owner.GetAsync("/organisation/webhooks"))).Text("#points"));
    }
}
