using System.Collections.Concurrent;
using Derogation.Tests.Infrastructure;
using Derogation.Web.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Serilog.Core;
using Serilog.Events;

namespace Derogation.Tests.Platform;

/// <summary>A sink that keeps what the portal's logging pipeline would write, rendered as text.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => _events.ToList();

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>Each event as a log collector would receive it: message plus every property.</summary>
    public IReadOnlyList<string> Rendered => Events
        .Select(e => e.RenderMessage() + " | " + string.Join(" ", e.Properties.Select(p => $"{p.Key}={p.Value}")))
        .ToList();
}

public sealed class LoggingTests(LoggingTests.Factory portal) : IClassFixture<LoggingTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        public CollectingSink Sink { get; } = new();

        protected override void ConfigureTestServices(IServiceCollection services) => services.AddSingleton<ILogEventSink>(Sink);

        protected override string MinimumLogLevel => "Information";
    }

    [Fact]
    public void PersonalData_NeverReachesTheLog()
    {
        var sink = new CollectingSink();
        var logger = PortalLogging.CreateLogger(new ConfigurationBuilder().Build(), readableText: false).WriteTo.Sink(sink).CreateLogger();

        logger.Information("Account created for {Email} by {UserName}", "jean.dupont@example.fr", "Jean Dupont");
        logger.Information("Prescriber {PrescriberPhone} wrote {Note}", "+33 6 12 34 56 78", "contact marie.martin@chu-lyon.fr, NIR 1 84 12 75 123 456 78");
        logger.Information("Applied schema migration {Version} {Name}", 3, "applications");

        var text = string.Join("\n", sink.Rendered);
        Assert.DoesNotContain("jean.dupont@example.fr", text);
        Assert.DoesNotContain("Jean Dupont", text);
        Assert.DoesNotContain("+33 6 12 34 56 78", text);
        Assert.DoesNotContain("marie.martin@chu-lyon.fr", text);
        Assert.DoesNotContain("1 84 12 75 123 456 78", text);
        Assert.Contains("contact [redacted], NIR [redacted]", text);
        // What is not personal data stays readable.
        Assert.Contains("Applied schema migration 3 \"applications\"", text);
    }

    [Fact]
    public async Task EveryRequest_IsLoggedOnceWithItsCorrelationIdAndRouteTemplate_NotItsQueryString()
    {
        var client = portal.CreateAnonymousClient();
        var request = new HttpRequestMessage(HttpMethod.Get, "/accessibilite?email=jean.dupont@example.fr");
        request.Headers.Add("X-Correlation-ID", "support-ticket-0042");
        var response = await client.SendAsync(request);

        Assert.Equal("support-ticket-0042", response.Headers.GetValues("X-Correlation-ID").Single());
        bool IsRequestLine(LogEvent e) => e.MessageTemplate.Text.StartsWith("HTTP", StringComparison.Ordinal)
                                          && e.Properties.TryGetValue("CorrelationId", out var id) && id.ToString() == "\"support-ticket-0042\"";
        // The line is written as the pipeline unwinds, which may be a moment after the client has the response.
        for (var wait = 0; wait < 50 && !portal.Sink.Events.Any(IsRequestLine); wait++)
        {
            await Task.Delay(100);
        }

        var requestLine = Assert.Single(portal.Sink.Events, IsRequestLine);
        Assert.StartsWith("HTTP \"GET\" \"/accessibilite\" responded 200 in ", requestLine.RenderMessage());
        Assert.DoesNotContain(portal.Sink.Rendered, line => line.Contains("jean.dupont", StringComparison.Ordinal));

        // A token in the path (a single-use link) is not logged either: only the route template is.
        await client.GetAsync("/prescripteur/jeton-secret-du-prescripteur");
        await Task.Delay(500);
        Assert.DoesNotContain(portal.Sink.Rendered, line => line.Contains("jeton-secret", StringComparison.Ordinal));
        Assert.Contains(portal.Sink.Rendered, line => line.StartsWith("HTTP \"GET\" \"/prescripteur/{token}\" responded 404", StringComparison.Ordinal));

        // An error answered by the error page: the line names the page that failed, not "/erreur/{code}".
        await client.GetAsync("/verification/AAAA-BBBB-CCCC-DDDD");
        await Task.Delay(500);
        Assert.Contains(portal.Sink.Rendered, line => line.StartsWith("HTTP \"GET\" \"/verification/{code?}\" responded 404", StringComparison.Ordinal));
        Assert.DoesNotContain(portal.Sink.Rendered, line => line.StartsWith("HTTP \"GET\" \"/erreur", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MalformedCorrelationId_IsReplaced()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("X-Correlation-ID", "<script>alert(1)</script>");
        var response = await portal.CreateAnonymousClient().SendAsync(request);

        Assert.Matches("^[0-9a-f]{32}$", response.Headers.GetValues("X-Correlation-ID").Single());
    }
}
