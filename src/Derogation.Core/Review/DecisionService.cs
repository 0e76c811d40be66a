using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum DecisionError
{
    None,
    NotFound,
    /// <summary>Only an application under review can be decided: not a draft, a withdrawn or an already decided one.</summary>
    NotUnderReview,
    ReasonsRequired,
    ValidityRequired,
    ValidityEndBeforeStart,
    NotASignatory,
    /// <summary>Someone changed the application since the form was displayed.</summary>
    ChangedMeanwhile,
}

public sealed record DecisionInput(DecisionOutcome Outcome, string? Reasons, DecisionConditions Conditions, Guid SignatoryUserId);

/// <summary>
/// Taking a decision: the rules are enforced here, not only in the form — reasons for every outcome, a validity
/// period for a global grant, a real signatory — and the decision, the application's new status and the audit
/// event are saved in one transaction.
/// </summary>
public sealed class DecisionService(DerogationDbContext db, UserManager<PortalUser> users, TimeProvider clock)
{
    public const string DefaultSignatoryTitle = "Par délégation du directeur général de l'ANSM";

    public async Task<(DecisionError Error, Decision? Decision)> DecideAsync(string reference, DecisionInput input, Guid reviewerId, uint? rowVersionSeenByUser = null)
    {
        if (string.IsNullOrWhiteSpace(input.Reasons))
        {
            return (DecisionError.ReasonsRequired, null);
        }

        var conditions = input.Outcome == DecisionOutcome.Grant ? input.Conditions : new DecisionConditions();
        if (conditions.ValidFrom is not null && conditions.ValidUntil < conditions.ValidFrom)
        {
            return (DecisionError.ValidityEndBeforeStart, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Deciders queue here: the second finds the application decided.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (DecisionError.NotFound, null);
        }

        if (rowVersionSeenByUser is not null && rowVersionSeenByUser != application.RowVersion)
        {
            return (application.Status == ApplicationStatus.UnderReview ? DecisionError.ChangedMeanwhile : DecisionError.NotUnderReview, null);
        }

        if (application.Status != ApplicationStatus.UnderReview)
        {
            return (DecisionError.NotUnderReview, null);
        }

        if (input.Outcome == DecisionOutcome.Grant && application.Kind == ApplicationKind.Global && conditions.ValidUntil is null)
        {
            return (DecisionError.ValidityRequired, null);
        }

        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return (DecisionError.NotASignatory, null);
        }

        var version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version);
        var now = clock.GetUtcNow();
        var decision = new Decision
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Outcome = input.Outcome,
            Reasons = input.Reasons.Trim(),
            Conditions = conditions,
            SignatoryUserId = signatory.Id,
            SignatoryName = signatory.FullName,
            SignatoryTitle = string.IsNullOrWhiteSpace(signatory.JobTitle) ? DefaultSignatoryTitle : signatory.JobTitle,
            Version = version,
            DecidedAt = now,
            DecidedByUserId = reviewerId,
        };
        db.Decisions.Add(decision);
        var from = application.Status;
        application.Status = input.Outcome switch
        {
            DecisionOutcome.Grant => ApplicationStatus.Granted,
            DecisionOutcome.Refuse => ApplicationStatus.Refused,
            _ => ApplicationStatus.Closed,
        };
        application.UpdatedAt = now;
        db.Record(clock, AuditActions.Decided, reviewerId, nameof(Application), application.Id.ToString(), fromState: from.ToString(), toState: application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (DecisionError.None, decision);
    }

    public Task<Decision?> ForAsync(Guid applicationId) =>
        db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId);

    public async Task<IReadOnlyList<PortalUser>> SignatoriesAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Signatory)).OrderBy(u => u.FullName).ToList();
}
