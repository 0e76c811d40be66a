using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Audit;

/// <summary>
/// Checks the audit trail's hash chain (kept by the database: migration 0010). Each event's hash covers its own
/// content and the previous event's hash, so editing, deleting or reordering any row breaks every link after it.
/// </summary>
public sealed class AuditChain(DerogationDbContext db)
{
    /// <summary>The chain position of the first event whose hash does not match, or null when the chain is intact.</summary>
    public async Task<long?> FirstBrokenAsync() =>
        (await db.Database.SqlQuery<long>($"""
            SELECT chain_position AS "Value" FROM (
                SELECT chain_position, hash, previous_hash,
                       lag(hash) OVER (ORDER BY chain_position) AS expected_previous,
                       audit_event_hash(previous_hash, occurred_at, actor_user_id, action, subject_type, subject_id, details, from_state, to_state) AS expected_hash
                FROM audit_events) chain
            WHERE hash IS DISTINCT FROM expected_hash OR previous_hash IS DISTINCT FROM expected_previous
            ORDER BY chain_position
            LIMIT 1
            """).ToListAsync()).Cast<long?>().FirstOrDefault();
}
