using Derogation.Core.Notifications;

namespace Derogation.Web.Notifications;

/// <summary>
/// Sends the outbox in the background: woken as soon as a change with messages commits, and every poll interval
/// anyway (retries, messages written by another portal instance). Each instance runs one; the outbox's row locks
/// keep them from sending a message twice.
/// </summary>
public sealed class OutboxWorker(IServiceScopeFactory scopes, OutboxSignal signal, MailOptions options, ILogger<OutboxWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var sent = await scope.ServiceProvider.GetRequiredService<OutboxSender>().SendDueAsync(cancellationToken: stoppingToken);
                if (sent > 0)
                {
                    logger.LogInformation("Outbox: {Count} message(s) sent", sent);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The database may be briefly unreachable: try again at the next poll, never stop the worker.
                logger.LogWarning("Outbox: sending failed ({Error}); will retry", exception.GetType().Name);
            }

            try
            {
                await signal.WaitAsync(TimeSpan.FromSeconds(options.OutboxPollSeconds), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
