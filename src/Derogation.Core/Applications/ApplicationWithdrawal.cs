using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

public enum WithdrawalError
{
    None,
    NotFound,
    ReasonRequired,
    /// <summary>Only a submitted application not yet decided can be withdrawn.</summary>
    NotWithdrawable,
    /// <summary>The reason identifies the patient (Anonymisation.InTextAbout says what).</summary>
    Identifying,
}

/// <summary>The applicant withdraws an application before ANSM decides, with a reason; recorded with the transition.</summary>
public sealed class ApplicationWithdrawal(DerogationDbContext db, TimeProvider clock)
{
    public static bool IsWithdrawable(ApplicationStatus status) =>
        status is ApplicationStatus.Submitted or ApplicationStatus.UnderReview or ApplicationStatus.InformationRequested;

    public async Task<WithdrawalError> WithdrawAsync(string reference, Viewer viewer, string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return WithdrawalError.ReasonRequired;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        // Only the organisation that filed it, or the manufacturer it was filed for, may withdraw it.
        var application = await db.Applications.VisibleTo(viewer).SingleOrDefaultAsync(a => a.Reference == reference);
        if (application is null)
        {
            return WithdrawalError.NotFound;
        }

        if (!IsWithdrawable(application.Status))
        {
            return WithdrawalError.NotWithdrawable;
        }

        if (Anonymisation.InTextAbout(application, reason).Count > 0)
        {
            return WithdrawalError.Identifying;
        }

        var from = application.Status;
        application.Status = ApplicationStatus.WithdrawnByApplicant;
        application.UpdatedAt = clock.GetUtcNow();
        db.Record(clock, AuditActions.WithdrawnByApplicant, viewer.UserId, nameof(Application), application.Id.ToString(), reason.Trim(),
            fromState: from.ToString(), toState: application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return WithdrawalError.None;
    }
}
