using Derogation.Core.Review;

namespace Derogation.Web.Notifications;

/// <summary>
/// Announces again, every ReviewAlerts:CheckEveryMinutes, the vital emergencies nobody has taken
/// (<see cref="ReviewAlerts.ReannounceAsync"/>, safe with several instances).
/// </summary>
public sealed class ReviewAlertWorker(IServiceScopeFactory scopes, ReviewAlertOptions options, ILogger<ReviewAlertWorker> logger) : BackgroundService
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
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var announced = await scope.ServiceProvider.GetRequiredService<ReviewAlerts>().ReannounceAsync();
                    if (announced > 0)
                    {
                        logger.LogInformation("Review alerts: {Count} untaken vital emergency(ies) announced again", announced);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning("Review alerts: run failed ({Error}); will retry", exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
