using Derogation.Core.Notifications;

namespace Derogation.Web.Notifications;

/// <summary>Sends the due webhook deliveries every Webhooks:PollSeconds (<see cref="WebhookSender"/>, safe with several instances).</summary>
public sealed class WebhookWorker(IServiceScopeFactory scopes, WebhookOptions options, ILogger<WebhookWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Max(1, options.PollSeconds)));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<WebhookSender>().SendDueAsync(cancellationToken: stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    logger.LogWarning("Webhooks: run failed ({Error}); will retry", exception.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }
}
