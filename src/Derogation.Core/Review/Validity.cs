using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>
/// A granted derogation's current end of validity: its latest extension's (annual prosthesis derogations,
/// docs/adr/0006), else the grant's. The register and the expiry job apply the same rule in their bulk queries.
/// </summary>
public static class Validity
{
    public static async Task<DateOnly?> CurrentValidUntilAsync(this DerogationDbContext db, Guid applicationId) =>
        await db.GrantMeasures.Where(m => m.ApplicationId == applicationId && m.Kind == GrantMeasureKind.Extension).MaxAsync(m => m.NewValidUntil)
        // The conditions are read whole: their JSON is camelCase, which a translated member access would miss.
        ?? (await db.Decisions.Where(d => d.ApplicationId == applicationId).Select(d => d.Conditions).SingleOrDefaultAsync())?.ValidUntil;
}
