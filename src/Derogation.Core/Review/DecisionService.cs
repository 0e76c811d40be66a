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
    /// <summary>Someone named in copy without a name or a valid e-mail address.</summary>
    RecipientInvalid,
    /// <summary>Someone changed the application since the form was displayed.</summary>
    ChangedMeanwhile,
}

public sealed record DecisionInput(
    DecisionOutcome Outcome, string? Reasons, DecisionConditions Conditions, Guid SignatoryUserId, IReadOnlyList<LetterRecipient>? OtherRecipients = null);

/// <summary>
/// Taking a decision: the rules are enforced here, not only in the form — reasons for every outcome, a validity
/// period for a global grant, a real signatory — and the decision, the application's new status and the audit
/// event are saved in one transaction.
/// </summary>
public sealed class DecisionService(DerogationDbContext db, UserManager<PortalUser> users, OutboxSignal outbox, LetterIssuer issuer, TimeProvider clock)
{
    public const string DefaultSignatoryTitle = "Par délégation du directeur général de l'ANSM";

    /// <summary>
    /// Decides, and in the same transaction renders the letter once, stores it with its SHA-256, and writes the
    /// notifications to the outbox: the manufacturer and the applicant get a link, those without an account
    /// (prescriber, establishment director, others named) the letter attached.
    /// </summary>
    public async Task<(DecisionError Error, Decision? Decision)> DecideAsync(
        string reference, DecisionInput input, Guid reviewerId, string portalBaseUrl, uint? rowVersionSeenByUser = null)
    {
        if (string.IsNullOrWhiteSpace(input.Reasons))
        {
            return (DecisionError.ReasonsRequired, null);
        }

        if (input.OtherRecipients?.Any(r => string.IsNullOrWhiteSpace(r.Name) || !System.Net.Mail.MailAddress.TryCreate(r.Email, out _)) == true)
        {
            return (DecisionError.RecipientInvalid, null);
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
            OtherRecipients = input.OtherRecipients?.Select(r => new LetterRecipient(r.Name.Trim(), r.Email.Trim())).ToList() ?? [],
            VerificationCode = NewVerificationCode(),
        };
        db.Decisions.Add(decision);
        await IssueLetterAsync(application, decision, portalBaseUrl);
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
        outbox.Wake();
        return (DecisionError.None, decision);
    }

    /// <summary>The letter as it would be issued, marked as a draft, from what the reviewer has typed so far; nothing is saved.</summary>
    public async Task<byte[]?> PreviewAsync(string reference, DecisionInput input, string portalBaseUrl)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return null;
        }

        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        var decision = new Decision
        {
            Outcome = input.Outcome,
            Reasons = string.IsNullOrWhiteSpace(input.Reasons) ? "(motifs à rédiger)" : input.Reasons,
            Conditions = input.Outcome == DecisionOutcome.Grant ? input.Conditions : new DecisionConditions(),
            SignatoryName = signatory?.FullName ?? "(signataire à choisir)",
            SignatoryTitle = string.IsNullOrWhiteSpace(signatory?.JobTitle) ? DefaultSignatoryTitle : signatory.JobTitle,
            Version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version),
            DecidedAt = clock.GetUtcNow(),
            OtherRecipients = input.OtherRecipients?.ToList() ?? [],
        };
        return DecisionLetterPdf.Render(DecisionLetterBuilder.Build(await SourceAsync(application, decision, portalBaseUrl, draft: true)));
    }

    private async Task<LetterSource> SourceAsync(Application application, Decision decision, string portalBaseUrl, bool draft)
    {
        var answers = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id && v.Version == decision.Version).Select(v => v.Answers).SingleAsync();
        var manufacturer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.ManufacturerId);
        var filer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.FilingOrganisationId);
        return new LetterSource(application, answers, manufacturer, filer, decision, decision.VerificationCode, portalBaseUrl, draft);
    }

    private async Task IssueLetterAsync(Application application, Decision decision, string portalBaseUrl)
    {
        var source = await SourceAsync(application, decision, portalBaseUrl, draft: false);
        var outcome = decision.Outcome switch
        {
            DecisionOutcome.Grant => ("décision de l'ANSM : demande accordée", "ANSM's decision: granted"),
            DecisionOutcome.Refuse => ("décision de l'ANSM : demande refusée", "ANSM's decision: refused"),
            _ => ("décision de l'ANSM : demande close sans décision", "ANSM's decision: closed without decision"),
        };
        var letter = await issuer.IssueAsync(new LetterToIssue(
            application, DecisionLetterBuilder.Build(source), IssuedDocumentKind.DecisionLetter, $"decision-{application.Reference}.pdf",
            decision.DecidedAt, decision.VerificationCode!, DecisionLetterBuilder.RecipientsWithoutAccount(source.Answers, decision, application.Kind),
            outcome.Item1, outcome.Item2), portalBaseUrl);
        decision.LetterDocumentId = letter.Id;
    }

    /// <summary>16 characters from an alphabet without look-alikes (80 random bits), grouped by four for reading aloud.</summary>
    public static string NewVerificationCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var characters = bytes.Select(b => alphabet[b % alphabet.Length]).ToArray();
        return string.Join("-", characters.Chunk(4).Select(chunk => new string(chunk)));
    }

    public Task<Decision?> ForAsync(Guid applicationId) =>
        db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId);

    public async Task<IReadOnlyList<PortalUser>> SignatoriesAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Signatory)).OrderBy(u => u.FullName).ToList();
}
