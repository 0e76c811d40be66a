using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum GrantMeasureError
{
    None,
    NotFound,
    ReasonsRequired,
    NotASignatory,
    /// <summary>The measure does not apply to the derogation as it stands (e.g. reinstating one not suspended).</summary>
    NotApplicable,
}

/// <summary>
/// Suspension, reinstatement and withdrawal of a granted derogation: reasons enforced here, the new status, the
/// audit event, the reasoned letter and its notifications in one transaction. The register and the verification
/// page read the status, so they show it at once.
/// </summary>
public sealed class GrantMeasures(DerogationDbContext db, UserManager<PortalUser> users, LetterIssuer issuer, OutboxSignal outbox, TimeProvider clock)
{
    /// <summary>Which measures apply to a derogation in this status.</summary>
    public static IReadOnlyList<GrantMeasureKind> Applicable(ApplicationStatus status) => status switch
    {
        ApplicationStatus.Granted => [GrantMeasureKind.Suspension, GrantMeasureKind.Withdrawal],
        ApplicationStatus.Suspended => [GrantMeasureKind.Reinstatement, GrantMeasureKind.Withdrawal],
        _ => [],
    };

    public async Task<(GrantMeasureError Error, GrantMeasure? Measure)> TakeAsync(
        string reference, GrantMeasureKind kind, string? reasons, Guid signatoryUserId, Guid reviewerId, string portalBaseUrl)
    {
        if (string.IsNullOrWhiteSpace(reasons))
        {
            return (GrantMeasureError.ReasonsRequired, null);
        }

        var signatory = await users.FindByIdAsync(signatoryUserId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return (GrantMeasureError.NotASignatory, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (GrantMeasureError.NotFound, null);
        }

        if (kind != GrantMeasureKind.Extension && !Applicable(application.Status).Contains(kind))
        {
            return (GrantMeasureError.NotApplicable, null);
        }

        var now = clock.GetUtcNow();
        var measure = new GrantMeasure
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Kind = kind,
            Reasons = reasons.Trim(),
            SignatoryUserId = signatory.Id,
            SignatoryName = signatory.FullName,
            SignatoryTitle = string.IsNullOrWhiteSpace(signatory.JobTitle) ? DecisionService.DefaultSignatoryTitle : signatory.JobTitle,
            DecidedAt = now,
            DecidedByUserId = reviewerId,
            VerificationCode = DecisionService.NewVerificationCode(),
        };

        var decision = await db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == application.Id);
        var answers = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id && v.Version == decision.Version).Select(v => v.Answers).SingleAsync();
        var manufacturer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.ManufacturerId);
        var filer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.FilingOrganisationId);
        DateOnly? newValidUntil = null;
        if (kind == GrantMeasureKind.Extension)
        {
            // Twelve more months for an annual prosthesis derogation whose recap for the period ending now is filed.
            var until = await db.CurrentValidUntilAsync(application.Id);
            if (application.Status != ApplicationStatus.Granted || !answers.GlobalScope.AnnualProsthesisRevision || until is null
                || !await db.AnnualRecaps.AnyAsync(r => r.ApplicationId == application.Id && r.PeriodEnd == until))
            {
                return (GrantMeasureError.NotApplicable, null);
            }

            newValidUntil = until.Value.AddMonths(12);
        }

        measure.NewValidUntil = newValidUntil;
        var suspendedAt = await db.GrantMeasures.Where(m => m.ApplicationId == application.Id && m.Kind == GrantMeasureKind.Suspension)
            .OrderByDescending(m => m.DecidedAt).Select(m => (DateTimeOffset?)m.DecidedAt).FirstOrDefaultAsync();
        var source = new LetterSource(application, answers, manufacturer, filer, decision, measure.VerificationCode, portalBaseUrl, Draft: false);
        var content = DecisionLetterBuilder.BuildMeasure(source, measure, suspendedAt);
        var (french, english, fileName, documentKind) = kind switch
        {
            GrantMeasureKind.Suspension => ("dérogation suspendue par l'ANSM", "derogation suspended by ANSM", "suspension", IssuedDocumentKind.SuspensionLetter),
            GrantMeasureKind.Reinstatement => ("suspension levée par l'ANSM", "suspension lifted by ANSM", "levee-suspension", IssuedDocumentKind.ReinstatementLetter),
            GrantMeasureKind.Extension => ("dérogation prolongée de 12 mois par l'ANSM", "derogation extended by ANSM for 12 months", "prolongation", IssuedDocumentKind.ExtensionLetter),
            _ => ("dérogation retirée par l'ANSM", "derogation withdrawn by ANSM", "retrait", IssuedDocumentKind.WithdrawalLetter),
        };
        var letter = await issuer.IssueAsync(new LetterToIssue(application, content, documentKind, $"{fileName}-{application.Reference}.pdf", now, measure.VerificationCode,
            DecisionLetterBuilder.RecipientsWithoutAccount(answers, decision, application.Kind), french, english), portalBaseUrl);
        measure.LetterDocumentId = letter.Id;
        db.GrantMeasures.Add(measure);

        var from = application.Status;
        application.Status = kind switch
        {
            GrantMeasureKind.Suspension => ApplicationStatus.Suspended,
            GrantMeasureKind.Reinstatement or GrantMeasureKind.Extension => ApplicationStatus.Granted,
            _ => ApplicationStatus.Withdrawn,
        };
        application.UpdatedAt = now;
        db.Record(clock, kind switch
        {
            GrantMeasureKind.Suspension => AuditActions.Suspended,
            GrantMeasureKind.Reinstatement => AuditActions.Reinstated,
            GrantMeasureKind.Extension => AuditActions.Extended,
            _ => AuditActions.WithdrawnByAnsm,
        }, reviewerId, nameof(Application), application.Id.ToString(), measure.Reasons, from.ToString(), application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (GrantMeasureError.None, measure);
    }
}
