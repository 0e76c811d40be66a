using Derogation.Core.Audit;

namespace Derogation.Web.Notifications;

/// <summary>
/// Looks every AuditAnchoring:CheckEveryMinutes whether today's verification and anchoring has run
/// (<see cref="AuditAnchoring.RunDailyAsync"/>: once a day whatever the instances).
/// </summary>
public sealed class AuditAnchorWorker(IServiceScopeFactory scopes, AuditAnchoringOptions options, ILogger<AuditAnchorWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(Math.Max(1, options.CheckEveryMinutes)));
        try
        {
            do
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var verification = await scope.ServiceProvider.GetRequiredService<AuditAnchoring>().RunDailyAsync(stoppingToken);
                    if (verification is { Intact: false })
                    {
                        logger.LogError("Audit chain broken at position {Position}", verification.FirstBrokenPosition);
                    }
                    else if (verification is not null)
                    {
                        logger.LogInformation("Audit chain verified: {Events} event(s) intact", verification.EventsChecked);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // A timestamp authority out of reach: the verification is kept, the anchoring is tried again at the next check.
                    logger.LogWarning("Audit anchoring: run failed ({Error}); will retry", exception.GetType().Name);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
