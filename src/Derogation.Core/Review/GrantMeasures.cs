using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>
/// Which measures apply to a granted derogation: amendment of its conditions, suspension, reinstatement and withdrawal, and the annual
/// prosthesis derogation's extension. They are proposed and signed like decisions (<see cref="Proposals"/>).
/// </summary>
public static class GrantMeasures
{
    /// <summary>Which measures apply to a derogation in this status.</summary>
    public static IReadOnlyList<GrantMeasureKind> Applicable(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Granted => [GrantMeasureKind.Amendment, GrantMeasureKind.Suspension, GrantMeasureKind.Withdrawal],
        ApplicationStatus.Suspended => [GrantMeasureKind.Amendment, GrantMeasureKind.Reinstatement, GrantMeasureKind.Withdrawal],
        _ => [],
    };

    /// <summary>Twelve more months for a granted annual prosthesis derogation whose recap for the period ending now is filed.</summary>
    public static async Task<bool> ExtensionAllowedAsync(DerogationDbContext db, Application application)
    {
        if (application.Status != ApplicationStatus.Granted)
        {
            return false;
        }

        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == application.Id);
        if (decision is null)
        {
            return false;
        }

        var annual = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id && v.Version == decision.Version)
            .Select(v => v.Answers).SingleAsync();
        var until = await db.CurrentValidUntilAsync(application.Id);
        return annual.GlobalScope.AnnualProsthesisRevision && until is not null
               && await db.AnnualRecaps.AnyAsync(r => r.ApplicationId == application.Id && r.PeriodEnd == until);
    }
}
