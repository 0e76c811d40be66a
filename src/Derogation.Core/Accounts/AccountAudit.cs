using Derogation.Core.Audit;
using Derogation.Core.Data;

namespace Derogation.Core.Accounts;

/// <summary>
/// Account events in the audit trail — sign-in, failures, lock-outs, sign-out, confirmation, reset, second factor —
/// written for the account pages, which do not write the database themselves. Never the typed address: it may be
/// nobody's, and it is personal data.
/// </summary>
public sealed class AccountAudit(DerogationDbContext db, TimeProvider clock)
{
    public async Task RecordAsync(string action, Guid? userId, string? details = null)
    {
        db.Record(clock, action, userId, userId is null ? null : "User", userId?.ToString(), details);
        await db.SaveChangesAsync();
    }
}
