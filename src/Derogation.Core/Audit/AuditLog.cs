using Derogation.Core.Data;

namespace Derogation.Core.Audit;

public static class AuditLog
{
    /// <summary>Adds an audit event to the unit of work: it is saved with, and only with, the change it records.</summary>
    public static void Record(this DerogationDbContext db, TimeProvider clock, string action, Guid? actorUserId,
        string? subjectType = null, string? subjectId = null, string? details = null, string? fromState = null, string? toState = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            // Microsecond precision, as PostgreSQL stores it, so the chained hash reads back identically.
            OccurredAt = clock.GetUtcNow(),
            ActorUserId = actorUserId,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Details = details,
            FromState = fromState,
            ToState = toState,
        });
}
