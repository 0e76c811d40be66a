using Derogation.Core.Data;

namespace Derogation.Core.Audit;

public static class AuditLog
{
    /// <summary>Adds an audit event to the unit of work: it is saved with, and only with, the change it records.</summary>
    public static void Record(this DerogationDbContext db, TimeProvider clock, string action, Guid? actorUserId,
        string? subjectType = null, string? subjectId = null, string? details = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            OccurredAt = clock.GetUtcNow(),
            ActorUserId = actorUserId,
            Action = action,
            SubjectType = subjectType,
            SubjectId = subjectId,
            Details = details,
        });
}
