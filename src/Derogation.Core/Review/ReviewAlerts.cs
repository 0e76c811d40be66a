using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Navigation;
using Derogation.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>Configuration section "ReviewAlerts".</summary>
public sealed class ReviewAlertOptions
{
    /// <summary>The reviewers' team address, told of every vital-emergency or urgent application on submission (none: no alert).</summary>
    public string? TeamEmail { get; set; }
}

/// <summary>
/// Nobody at ANSM has to poll the queue for an emergency: a vital-emergency or urgent application is announced to the
/// reviewers' team address through the outbox, in the submission's transaction (so once, whatever the instances), and
/// ANSM pages show how many vital emergencies nobody has taken yet. The alert carries the reference and the urgency
/// only — never anything about the patient.
/// </summary>
public sealed class ReviewAlerts(DerogationDbContext db, ReviewAlertOptions options, TimeProvider clock, IPortalLinks links)
{
    /// <summary>Queues the alert for a just-submitted application (inside the caller's transaction), if it is urgent.</summary>
    public void Announce(Application submitted)
    {
        if (string.IsNullOrWhiteSpace(options.TeamEmail) || submitted.Urgency is not (Urgency.VitalEmergency or Urgency.Urgent) || submitted.Kind != ApplicationKind.Individual)
        {
            return;
        }

        var vital = submitted.Urgency == Urgency.VitalEmergency;
        var (french, english) = vital ? ("URGENCE VITALE", "VITAL EMERGENCY") : ("Urgent", "Urgent");
        var link = links.CaseFile(submitted.Reference!);
        db.Enqueue(clock, options.TeamEmail.Trim(), $"[{french}] Demande {submitted.Reference} à prendre / {english} application to take",
            $"Bonjour,\n\nUne demande individuelle ({french.ToLowerInvariant()}) vient d'être déposée et attend d'être prise : {submitted.Reference}.\n\n{link}\n\n" +
            $"Échéance : {submitted.TargetDate:dd/MM/yyyy}.\n\nPortail des dérogations au marquage CE\n\n---\n\n" +
            $"An individual application ({english.ToLowerInvariant()}) has just been filed and is waiting to be taken: {submitted.Reference}.\n\n{link}\n\n" +
            $"Target date: {submitted.TargetDate:yyyy-MM-dd}.",
            "ReviewAlert", submitted.Id);
    }

    /// <summary>Vital emergencies submitted that no reviewer has taken yet (shown on every ANSM page).</summary>
    public Task<int> UntakenVitalEmergenciesAsync() => UntakenVitalEmergencies(db).CountAsync();

    /// <summary>The one definition of an untaken vital emergency: the pages' count and the telemetry gauge read it.</summary>
    public static IQueryable<Application> UntakenVitalEmergencies(DerogationDbContext db) =>
        db.Applications.AsNoTracking().Where(a => a.Status == ApplicationStatus.Submitted && a.AssignedReviewerId == null && a.Urgency == Urgency.VitalEmergency);
}
