using System.Diagnostics;
using System.Diagnostics.Metrics;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Web.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace Derogation.Tests.Platform;

/// <summary>
/// With an OTLP endpoint configured, the portal traces requests and database calls and publishes its own measures;
/// spans carry the route template, never a token or a query string.
/// </summary>
public sealed class TelemetryTests(TelemetryTests.Factory portal) : IClassFixture<TelemetryTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        public List<Activity> Spans { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            // Nothing listens there: the OTLP exporter drops what it cannot send; the tests read an in-memory copy.
            builder.UseSetting("OpenTelemetry:OtlpEndpoint", "http://127.0.0.1:9");
        }

        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
    }

    [Fact]
    public async Task ARequestsSpan_NamesTheRouteTemplate_NeverTheTokenOrTheQuery()
    {
        await portal.CreateAnonymousClient().GetAsync("/prescripteur/jeton-secret-de-telemetrie?courriel=jean.dupont%40example.fr");
        Activity? span = null;
        for (var wait = 0; wait < 50 && span is null; wait++)
        {
            {
                // A copy: the exporter adds spans from the server's threads while the test reads.
                span = portal.Spans.ToArray().FirstOrDefault(s => s.Kind == ActivityKind.Server && "/prescripteur/{token}".Equals(s.GetTagItem("url.path")));
            }

            await Task.Delay(100);
        }

        Assert.NotNull(span);
        Assert.Equal(404, span.GetTagItem("http.response.status_code"));
        Assert.Null(span.GetTagItem("url.query"));
        {
            var spans = portal.Spans.ToArray();
            Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), tag => tag.Value?.ToString()?.Contains("jeton-secret", StringComparison.Ordinal) == true);
            Assert.DoesNotContain(spans.SelectMany(s => s.TagObjects), tag => tag.Value?.ToString()?.Contains("jean.dupont", StringComparison.Ordinal) == true);
        }
    }

    [Fact]
    public async Task ThePortalsMeasures_CountTheOutboxAndUntakenVitalEmergencies()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        await Filing.SubmitIndividualAsync(client, Filing.PatientWithUrgency("VitalEmergency"));
        var metrics = portal.Services.GetRequiredService<PortalMetrics>();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            // A message the sender will not try before tomorrow, queued ten minutes ago.
            db.OutboxMessages.Add(new OutboxMessage
            {
                Id = Guid.NewGuid(), Recipient = "file@attente.example", Subject = "En attente", Body = "…", Purpose = "Test",
                CreatedAt = DateTimeOffset.UtcNow.AddMinutes(-10), NextAttemptAt = DateTimeOffset.UtcNow.AddDays(1),
            });
            await db.SaveChangesAsync();
            await metrics.RefreshAsync(db, TimeProvider.System);
        }

        var observed = new Dictionary<string, double>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter, metrics.Meter))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => observed[instrument.Name] = value);
            listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => observed[instrument.Name] = value);
            listener.Start();
            listener.RecordObservableInstruments();
        }

        Assert.True(observed["derogation.outbox.unsent"] >= 1);
        Assert.True(observed["derogation.outbox.oldest_unsent_age"] >= 600);
        Assert.Equal(1, observed["derogation.review.untaken_vital_emergencies"]);
    }
}
