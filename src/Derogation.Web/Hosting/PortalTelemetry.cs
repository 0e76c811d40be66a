using System.Diagnostics;
using System.Diagnostics.Metrics;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Derogation.Web.Hosting;

/// <summary>
/// The portal's own measures, read by OpenTelemetry: messages waiting in the outbox, the age of the oldest, and
/// vital emergencies nobody has taken yet. Refreshed every <see cref="RefreshEvery"/> by <see cref="PortalMetricsRefresher"/>
/// (one small query each), observed from the cached values.
/// </summary>
public sealed class PortalMetrics : IDisposable
{
    public const string MeterName = "Derogation.Portal";

    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(30);

    private readonly Meter _meter = new(MeterName);

    /// <summary>This host's meter (several hosts may run in one process, as in the tests).</summary>
    public Meter Meter => _meter;

    public PortalMetrics()
    {
        _meter.CreateObservableGauge("derogation.outbox.unsent", () => UnsentMessages, "{message}", "E-mails waiting in the outbox");
        _meter.CreateObservableGauge("derogation.outbox.oldest_unsent_age", () => OldestUnsentSeconds, "s", "Age of the oldest e-mail waiting in the outbox");
        _meter.CreateObservableGauge("derogation.review.untaken_vital_emergencies", () => UntakenVitalEmergencies, "{application}",
            "Vital-emergency applications submitted and not yet taken by a reviewer");
    }

    public long UnsentMessages { get; private set; }

    public double OldestUnsentSeconds { get; private set; }

    public long UntakenVitalEmergencies { get; private set; }

    public async Task RefreshAsync(DerogationDbContext db, TimeProvider clock, CancellationToken cancellationToken = default)
    {
        var unsent = db.OutboxMessages.AsNoTracking().Where(m => m.SentAt == null && m.Attempts < Core.Notifications.OutboxSender.MaxAttempts);
        UnsentMessages = await unsent.LongCountAsync(cancellationToken);
        var oldest = await unsent.OrderBy(m => m.CreatedAt).Select(m => (DateTimeOffset?)m.CreatedAt).FirstOrDefaultAsync(cancellationToken);
        OldestUnsentSeconds = oldest is { } created ? Math.Max(0, (clock.GetUtcNow() - created).TotalSeconds) : 0;
        UntakenVitalEmergencies = await Core.Review.ReviewAlerts.UntakenVitalEmergencies(db).LongCountAsync(cancellationToken);
    }

    public void Dispose() => _meter.Dispose();
}

/// <summary>Keeps <see cref="PortalMetrics"/> current while telemetry is exported.</summary>
internal sealed class PortalMetricsRefresher(PortalMetrics metrics, IServiceScopeFactory scopes, TimeProvider clock, ILogger<PortalMetricsRefresher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(PortalMetrics.RefreshEvery);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await metrics.RefreshAsync(scope.ServiceProvider.GetRequiredService<DerogationDbContext>(), clock, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // A database outage must not stop the refresher: the next tick tries again.
                logger.LogWarning("Portal metrics not refreshed: {ExceptionType}", exception.GetType().Name);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// OpenTelemetry traces and metrics (ASP.NET Core, Npgsql, the portal's own) exported over OTLP when
/// <c>OpenTelemetry:OtlpEndpoint</c> is set. Spans carry the route template as their path, never the raw path (tokens
/// of single-use links) nor the query string.
/// </summary>
internal static class PortalTelemetry
{
    public static void AddPortalTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PortalMetrics>();
        var endpoint = builder.Configuration["OpenTelemetry:OtlpEndpoint"];
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return;
        }

        builder.Services.AddHostedService<PortalMetricsRefresher>();
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(builder.Configuration["OpenTelemetry:ServiceName"] ?? "derogation-portal"))
            .WithTracing(tracing =>
            {
                tracing.AddAspNetCoreInstrumentation(options =>
                    {
                        options.Filter = context => !context.Request.Path.StartsWithSegments("/health");
                        options.EnrichWithHttpResponse = (activity, response) => ScrubPath(activity, response.HttpContext);
                    })
                    .AddNpgsql()
                    .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint));
            })
            .WithMetrics(metrics => metrics.AddAspNetCoreInstrumentation().AddMeter(PortalMetrics.MeterName, "Npgsql")
                .AddOtlpExporter(otlp => otlp.Endpoint = new Uri(endpoint)));
    }

    /// <summary>The span's path is the route template; the query string is dropped.</summary>
    private static void ScrubPath(Activity activity, HttpContext context)
    {
        var route = PortalLogging.OriginalRoute(context);
        activity.SetTag("url.path", route is null ? "(no route)" : "/" + route.TrimStart('/'));
        activity.SetTag("url.query", null);
    }
}
