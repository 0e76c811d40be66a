using Derogation.Core.Review;

namespace Derogation.Web.Notifications;

/// <summary>
/// Runs the expiry of global derogations and the reminders before it, and the information-request deadlines
/// (<see cref="InformationRequests.RunDeadlinesAsync"/>) and the retention of personal data (<see cref="Derogation.Core.Applications.Retention"/>), at start-up and every Expiry:IntervalMinutes; the work itself is safe with several instances (<see cref="ExpiryService"/>).
/// </summary>
public sealed class ExpiryWorker(IServiceScopeFactory scopes, ExpiryOptions options, ILogger<ExpiryWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.RunInBackground)
        {
            return;
        }

        // Let the portal finish starting (migrations, listening) first.
        await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var (expired, reminded) = await scope.ServiceProvider.GetRequiredService<ExpiryService>().RunAsync();
                if (expired + reminded > 0)
                {
                    logger.LogInformation("Expiry: {Expired} derogation(s) expired, {Reminded} reminder(s) queued", expired, reminded);
                }

                var (deadlineReminders, overdue) = await scope.ServiceProvider.GetRequiredService<InformationRequests>().RunDeadlinesAsync();
                if (deadlineReminders + overdue > 0)
                {
                    logger.LogInformation("Information requests: {Reminded} deadline reminder(s), {Overdue} passed deadline(s) notified", deadlineReminders, overdue);
                }

                var opinionReminders = await scope.ServiceProvider.GetRequiredService<ExpertOpinions>().RemindAsync();
                if (opinionReminders > 0)
                {
                    logger.LogInformation("Expert opinions: {Reminded} reminder(s) before the deadline", opinionReminders);
                }

                var retention = await scope.ServiceProvider.GetRequiredService<Derogation.Core.Applications.Retention>().RunAsync();
                if (retention is { } kept && kept.DraftReminders + kept.DraftsDeleted + kept.PatientDataPurged + kept.EmailsPurged > 0)
                {
                    logger.LogInformation("Retention: {Reminders} draft reminder(s), {Drafts} draft(s) deleted, {Patients} application(s) purged of patient data, {Emails} e-mail(s) purged",
                        kept.DraftReminders, kept.DraftsDeleted, kept.PatientDataPurged, kept.EmailsPurged);
                }

                // What an operator (and the multi-instance test) reads to know that every instance has run.
                logger.LogDebug("Expiry: run finished");
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning("Expiry: run failed ({Error}); will retry", exception.GetType().Name);
            }

            try
            {
                await Task.Delay(TimeSpan.FromMinutes(options.IntervalMinutes), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
