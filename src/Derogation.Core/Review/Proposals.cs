using Derogation.Core.Issuing;
using Derogation.Core.Navigation;
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

public enum ProposalError
{
    None,
    NotFound,
    /// <summary>Only the reviewer holding the application, or a senior reviewer, prepares a proposal.</summary>
    NotHolder,
    /// <summary>The act does not apply to the application as it stands (decided, not granted, not suspended…).</summary>
    NotApplicable,
    OutcomeRequired,
    ReasonsRequired,
    TooLong,
    ValidityRequired,
    ValidityEndBeforeStart,
    NotASignatory,
    /// <summary>Nobody signs their own proposal, nor sends it to themselves.</summary>
    OwnProposal,
    RecipientInvalid,
    /// <summary>A rectification states the corrected wording.</summary>
    CorrectionRequired,
    /// <summary>A rectification names a letter of this application.</summary>
    LetterNotFound,
    /// <summary>The proposal changed (or was returned, or signed) since the form was displayed.</summary>
    ChangedMeanwhile,
    /// <summary>A maximum number of patients below 1.</summary>
    MaxPatientsInvalid,
    /// <summary>An amendment that leaves every condition as it stands.</summary>
    NothingAmended,
    /// <summary>No proposal waits for a signature.</summary>
    NothingToSign,
    CommentRequired,
    /// <summary>The letter is addressed to a manufacturer no ANSM administrator has verified: the signatory confirms it first.</summary>
    UnverifiedManufacturer,
    /// <summary>A signature needs the signatory's authenticator app, which is not set up.</summary>
    SecondFactorRequired,
    /// <summary>The code from the authenticator app is missing or wrong.</summary>
    InvalidCode,
    /// <summary>A grant or a refusal needs every criterion of the assessment grid given an opinion and a comment.</summary>
    AssessmentIncomplete,
}

public sealed record ProposalInput(
    ProposalAct Act,
    DecisionOutcome? Outcome,
    string? Reasons,
    DecisionConditions Conditions,
    Guid SignatoryUserId,
    IReadOnlyList<LetterRecipient>? OtherRecipients = null,
    string? Correction = null,
    Guid? RectifiesDocumentId = null);

/// <summary>A proposal waiting for a signatory, as the list "À signer" shows it.</summary>
public sealed record ProposalToSign(
    string Reference, ApplicationKind Kind, Urgency? Urgency, ProposalAct Act, DecisionOutcome? Outcome, string ProposedBy, DateTimeOffset WaitingSince, bool AddressedToMe);

/// <summary>
/// Four-eyes decisions (docs/domain.md §4 "Proposal and signature"; docs/journeys/review.md). The reviewer holding the case — or a senior
/// reviewer — prepares a decision, a measure or a rectification as a proposal; nothing is issued, sent or shown to
/// the applicant until a signatory other than its author signs it with a fresh code from their authenticator app.
/// Signing renders the letter once in the signatory's name, stores it, changes the status and queues the copies,
/// in one transaction that holds the application's row: two signatories cannot both sign. A signatory may return
/// the proposal with a comment instead. Every rule is checked here, whatever the page sent.
/// </summary>
public sealed class Proposals(
    DerogationDbContext db, UserManager<PortalUser> users, LetterIssuer issuer, OutboxSignal outbox, TimeProvider clock, IPortalLinks links, ProposalInputValidator rules, LetterWordings wordings)
{
    public const int MaxCommentLength = 4000;

    /// <summary>The proposal not yet signed (pending or returned), if any.</summary>
    public Task<Proposal?> OpenAsync(Guid applicationId) =>
        db.Proposals.AsNoTracking().Where(p => p.ApplicationId == applicationId && (p.State == ProposalState.Pending || p.State == ProposalState.Returned))
            .SingleOrDefaultAsync();

    /// <summary>Signed rectifications of the application, oldest first.</summary>
    public async Task<IReadOnlyList<Proposal>> RectificationsAsync(Guid applicationId) =>
        await db.Proposals.AsNoTracking().Where(p => p.ApplicationId == applicationId && p.Act == ProposalAct.Rectification && p.State == ProposalState.Signed)
            .OrderBy(p => p.SignedAt).ToListAsync();

    /// <summary>Which acts a reviewer may propose on an application in this status (a decision, or the measures after a grant).</summary>
    public static bool MayDecide(ApplicationStatus status, DecisionOutcome? outcome) =>
        status == ApplicationStatus.UnderReview
        // While information is requested, the case can be refused or closed (no answer by the deadline), not granted.
        || (status == ApplicationStatus.InformationRequested && outcome is not DecisionOutcome.Grant);

    public async Task<(ProposalError Error, Proposal? Proposal)> ProposeAsync(
        string reference, ProposalInput input, Guid reviewerId, int? revisionSeen)
    {
        var invalid = ProposalInputValidator.FirstError(rules.Validate(input));
        if (invalid != ProposalError.None)
        {
            return (invalid, null);
        }

        var reviewer = await users.FindByIdAsync(reviewerId.ToString());
        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return (ProposalError.NotASignatory, null);
        }

        if (signatory.Id == reviewerId)
        {
            return (ProposalError.OwnProposal, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Everything that changes a case locks its row first: proposals, signatures and requests queue here.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (ProposalError.NotFound, null);
        }

        var senior = reviewer is not null && await users.IsInRoleAsync(reviewer, Roles.SeniorReviewer);
        var holds = reviewer is not null && application.AssignedReviewerId == reviewerId && await users.IsInRoleAsync(reviewer, Roles.Reviewer);
        if (!senior && !holds)
        {
            return (ProposalError.NotHolder, null);
        }

        var open = await db.Proposals.SingleOrDefaultAsync(p => p.ApplicationId == application.Id && (p.State == ProposalState.Pending || p.State == ProposalState.Returned));
        if (open is not null && revisionSeen != open.Revision)
        {
            // Returned or amended by someone else since this form was opened: the reviewer's text is kept on the page.
            return (ProposalError.ChangedMeanwhile, null);
        }

        var applicable = await ApplicableAsync(application, input.Act, input.Outcome, input.RectifiesDocumentId);
        if (applicable != ProposalError.None)
        {
            return (applicable, null);
        }

        if (input.Act == ProposalAct.Rectification)
        {
            // Conditions travel with the rectification of a grant's letter only: decided here, not by the form.
            var grantLetter = await db.Decisions.AnyAsync(d => d.ApplicationId == application.Id && d.LetterDocumentId == input.RectifiesDocumentId && d.Outcome == DecisionOutcome.Grant);
            input = input with { Outcome = grantLetter ? DecisionOutcome.Grant : null };
        }

        if (input.Act == ProposalAct.Amendment)
        {
            // An amendment changes what the derogation allows, never how long it lasts (extension, withdrawal and
            // expiry own that): the validity is the grant's, whatever the form sent.
            var current = (await db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == application.Id)).Conditions;
            var amended = new DecisionConditions
            {
                ValidFrom = current.ValidFrom, ValidUntil = current.ValidUntil, MaxPatients = input.Conditions.MaxPatients,
                Establishments = Trimmed(input.Conditions.Establishments), FollowUp = Trimmed(input.Conditions.FollowUp), Restrictions = Trimmed(input.Conditions.Restrictions),
            };
            if (amended.MaxPatients == current.MaxPatients && amended.Establishments == Trimmed(current.Establishments)
                && amended.FollowUp == Trimmed(current.FollowUp) && amended.Restrictions == Trimmed(current.Restrictions))
            {
                return (ProposalError.NothingAmended, null);
            }

            input = input with { Conditions = amended };
        }

        if (KeepsConditions(input) && input.Conditions.ValidFrom is not null && input.Conditions.ValidUntil < input.Conditions.ValidFrom)
        {
            return (ProposalError.ValidityEndBeforeStart, null);
        }

        if (KeepsConditions(input) && application.Kind == ApplicationKind.Global && input.Conditions.ValidUntil is null)
        {
            // A global derogation always has an end date (docs/domain.md §3–4).
            return (ProposalError.ValidityRequired, null);
        }

        var now = clock.GetUtcNow();
        var proposal = open ?? new Proposal { Id = Guid.NewGuid(), ApplicationId = application.Id, Reasons = "", ProposedAt = now };
        proposal.Act = input.Act;
        proposal.Outcome = input.Act is ProposalAct.Decision or ProposalAct.Rectification ? input.Outcome : null;
        proposal.Reasons = input.Reasons!.Trim();
        proposal.Conditions = KeepsConditions(input) ? input.Conditions : new DecisionConditions();
        proposal.Correction = input.Act == ProposalAct.Rectification ? input.Correction!.Trim() : null;
        proposal.RectifiesDocumentId = input.Act == ProposalAct.Rectification ? input.RectifiesDocumentId : null;
        proposal.OtherRecipients = input.OtherRecipients?.Select(r => new LetterRecipient(r.Name.Trim(), r.Email.Trim())).ToList() ?? [];
        proposal.SignatoryUserId = signatory.Id;
        proposal.ProposedByUserId = reviewerId;
        proposal.UpdatedAt = now;
        proposal.Revision = (open?.Revision ?? 0) + 1;
        proposal.State = ProposalState.Pending;
        if (open is null)
        {
            db.Proposals.Add(proposal);
        }

        db.Record(clock, AuditActions.Proposed, reviewerId, nameof(Application), application.Id.ToString(),
            $"{Describe(proposal)}, revision {proposal.Revision}");
        if (signatory.Email is not null)
        {
            var link = links.Signature(application.Reference!);
            db.Enqueue(clock, signatory.Email, $"Demande {application.Reference} : proposition à signer / proposal to sign",
                $"Bonjour,\n\nUne proposition ({ActFrench(proposal)}) sur la demande {application.Reference} attend votre signature :\n\n{link}\n\n" +
                "Portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nA proposal ({ActEnglish(proposal)}) on application {application.Reference} is waiting for your signature:\n\n{link}\n\nCE-marking derogation portal",
                AuditActions.Proposed, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (ProposalError.None, proposal);
    }

    /// <summary>The signatory sends the proposal back to its author with a comment; the author's text is kept.</summary>
    public async Task<ProposalError> ReturnAsync(string reference, Guid signatoryId, string? comment, int revisionSeen)
    {
        if (string.IsNullOrWhiteSpace(comment))
        {
            return ProposalError.CommentRequired;
        }

        if (comment.Length > MaxCommentLength)
        {
            return ProposalError.TooLong;
        }

        var signatory = await users.FindByIdAsync(signatoryId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return ProposalError.NotASignatory;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        var proposal = application is null ? null
            : await db.Proposals.SingleOrDefaultAsync(p => p.ApplicationId == application.Id && p.State == ProposalState.Pending);
        if (proposal is null)
        {
            return application is null ? ProposalError.NotFound : ProposalError.NothingToSign;
        }

        if (proposal.Revision != revisionSeen)
        {
            return ProposalError.ChangedMeanwhile;
        }

        var now = clock.GetUtcNow();
        proposal.State = ProposalState.Returned;
        proposal.ReturnComment = comment.Trim();
        proposal.ReturnedAt = now;
        proposal.ReturnedByUserId = signatoryId;
        // A returned proposal is a new text for the signatory who opens it next.
        proposal.Revision++;
        proposal.UpdatedAt = now;
        db.Record(clock, AuditActions.ProposalReturned, signatoryId, nameof(Application), application!.Id.ToString(), $"{Describe(proposal)}, revision {proposal.Revision - 1}");
        var author = await db.Users.Where(u => u.Id == proposal.ProposedByUserId).Select(u => u.Email).SingleOrDefaultAsync();
        if (author is not null)
        {
            var link = links.CaseFile(application.Reference!);
            db.Enqueue(clock, author, $"Demande {application.Reference} : proposition renvoyée / proposal returned",
                $"Bonjour,\n\nLe signataire vous a renvoyé la proposition ({ActFrench(proposal)}) sur la demande {application.Reference}, avec un commentaire :\n\n{link}\n\n" +
                "Portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nThe signatory returned the proposal ({ActEnglish(proposal)}) on application {application.Reference} with a comment:\n\n{link}\n\nCE-marking derogation portal",
                AuditActions.ProposalReturned, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return ProposalError.None;
    }

    /// <summary>
    /// Signs: checks the signatory (a signatory, not the author, with a valid code from their authenticator app —
    /// unless <paramref name="allowWithoutSecondFactor"/>, Development's demo bypass, and no app is set up), that
    /// the proposal is the one they read (<paramref name="revisionSeen"/>) and still applies; then issues it.
    /// </summary>
    public async Task<(ProposalError Error, Proposal? Proposal)> SignAsync(
        string reference, Guid signatoryId, string? code, int revisionSeen, bool allowWithoutSecondFactor,
        bool confirmsUnverifiedManufacturer = false)
    {
        var signatory = await users.FindByIdAsync(signatoryId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return (ProposalError.NotASignatory, null);
        }

        if (await users.GetTwoFactorEnabledAsync(signatory))
        {
            var typed = new string((code ?? "").Where(char.IsAsciiDigit).ToArray());
            if (typed.Length != 6 || !await users.VerifyTwoFactorTokenAsync(signatory, TokenOptions.DefaultAuthenticatorProvider, typed))
            {
                return (ProposalError.InvalidCode, null);
            }
        }
        else if (!allowWithoutSecondFactor)
        {
            return (ProposalError.SecondFactorRequired, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (ProposalError.NotFound, null);
        }

        var proposal = await db.Proposals.SingleOrDefaultAsync(p => p.ApplicationId == application.Id && p.State == ProposalState.Pending);
        if (proposal is null)
        {
            // Signed by another signatory a moment ago, or returned: nothing is issued twice.
            return (ProposalError.NothingToSign, null);
        }

        if (proposal.Revision != revisionSeen)
        {
            return (ProposalError.ChangedMeanwhile, null);
        }

        if (proposal.ProposedByUserId == signatoryId)
        {
            return (ProposalError.OwnProposal, null);
        }

        var applicable = await ApplicableAsync(application, proposal.Act, proposal.Outcome, proposal.RectifiesDocumentId);
        if (applicable != ProposalError.None)
        {
            return (applicable, null);
        }

        // Filing is never held up for an unverified organisation (urgency first), but nobody signs a letter to one unawares.
        if (!confirmsUnverifiedManufacturer && await db.Organisations.AnyAsync(o => o.Id == application.ManufacturerId && o.VerifiedAt == null))
        {
            return (ProposalError.UnverifiedManufacturer, null);
        }

        var now = clock.GetUtcNow();
        var letter = await PlanAsync(application, proposal, signatory.FullName, TitleOf(signatory), now, draft: false);
        var document = await issuer.IssueAsync(new LetterToIssue(application, letter.Content, letter.Kind, letter.FileName, now, letter.VerificationCode!,
            letter.WithoutAccount, letter.French, letter.English, letter.Wording));
        var from = application.Status;
        switch (letter.Issued)
        {
            case Decision decision:
                decision.SignatoryUserId = signatory.Id;
                decision.LetterDocumentId = document.Id;
                decision.ClockStoppedSeconds = ClockStop.StoppedSeconds(
                    await db.InformationRequests.AsNoTracking().Where(r => r.ApplicationId == application.Id && !r.AfterDecision).ToListAsync(), now);
                db.Decisions.Add(decision);
                application.Status = decision.Outcome switch
                {
                    DecisionOutcome.Grant => ApplicationStatus.Granted,
                    DecisionOutcome.Refuse => ApplicationStatus.Refused,
                    _ => ApplicationStatus.Closed,
                };
                // A request still waiting for an answer is closed by the decision: the applicant can no longer answer it.
                foreach (var request in await db.InformationRequests.Where(r => r.ApplicationId == application.Id && r.AnsweredAt == null && r.CancelledAt == null).ToListAsync())
                {
                    request.CancelledAt = now;
                    request.CancelledByUserId = signatoryId;
                }

                db.Record(clock, AuditActions.Decided, signatoryId, nameof(Application), application.Id.ToString(), fromState: from.ToString(), toState: application.Status.ToString());
                break;
            case GrantMeasure measure:
                measure.SignatoryUserId = signatory.Id;
                measure.LetterDocumentId = document.Id;
                db.GrantMeasures.Add(measure);
                application.Status = measure.Kind switch
                {
                    GrantMeasureKind.Suspension => ApplicationStatus.Suspended,
                    GrantMeasureKind.Reinstatement or GrantMeasureKind.Extension => ApplicationStatus.Granted,
                    GrantMeasureKind.Amendment => application.Status,
                    _ => ApplicationStatus.Withdrawn,
                };
                if (measure.Kind == GrantMeasureKind.Amendment)
                {
                    // As for a rectification: the decision row holds the conditions as they now stand (register, uses,
                    // expiry read it); the amendment keeps what it replaced, and the grant's letter stays as issued.
                    var granted = await db.Decisions.SingleAsync(d => d.ApplicationId == application.Id);
                    measure.PreviousConditions = granted.Conditions;
                    granted.Conditions = measure.Conditions!;
                }

                if (measure.Kind == GrantMeasureKind.Withdrawal)
                {
                    // A question asked after the grant is moot once the derogation is withdrawn.
                    foreach (var request in await db.InformationRequests.Where(r => r.ApplicationId == application.Id && r.AnsweredAt == null && r.CancelledAt == null).ToListAsync())
                    {
                        request.CancelledAt = now;
                        request.CancelledByUserId = signatoryId;
                    }
                }

                db.Record(clock, measure.Kind switch
                {
                    GrantMeasureKind.Suspension => AuditActions.Suspended,
                    GrantMeasureKind.Reinstatement => AuditActions.Reinstated,
                    GrantMeasureKind.Extension => AuditActions.Extended,
                    GrantMeasureKind.Amendment => AuditActions.Amended,
                    _ => AuditActions.WithdrawnByAnsm,
                }, signatoryId, nameof(Application), application.Id.ToString(), measure.Reasons,
                    measure.Kind == GrantMeasureKind.Amendment ? null : from.ToString(), measure.Kind == GrantMeasureKind.Amendment ? null : application.Status.ToString());
                break;
            default:
                proposal.LetterDocumentId = document.Id;
                proposal.VerificationCode = letter.VerificationCode;
                if (letter.RectifiedDecision is { } rectified)
                {
                    // The decision row holds the decision as it now stands (the register and the expiry job read it);
                    // the rectification keeps what it replaced, and the first letter stays as issued.
                    proposal.PreviousConditions = rectified.Conditions;
                    rectified.Conditions = proposal.Conditions;
                }

                db.Record(clock, AuditActions.Rectified, signatoryId, nameof(Application), application.Id.ToString(), $"document {proposal.RectifiesDocumentId}");
                break;
        }

        proposal.State = ProposalState.Signed;
        proposal.SignedAt = now;
        proposal.SignedByUserId = signatoryId;
        application.UpdatedAt = now;
        db.Record(clock, AuditActions.Signed, signatoryId, nameof(Application), application.Id.ToString(), $"{Describe(proposal)}, revision {proposal.Revision}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (ProposalError.None, proposal);
    }

    /// <summary>The letter exactly as it would be issued from <paramref name="input"/>, marked "PROJET"; nothing is saved.</summary>
    public async Task<byte[]?> PreviewAsync(string reference, ProposalInput input)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return null;
        }

        var proposal = new Proposal
        {
            Act = input.Act,
            Outcome = input.Outcome ?? DecisionOutcome.Grant,
            Reasons = string.IsNullOrWhiteSpace(input.Reasons) ? "(motifs à rédiger)" : input.Reasons,
            Conditions = KeepsConditions(input with { Outcome = input.Outcome ?? DecisionOutcome.Grant }) ? input.Conditions : new DecisionConditions(),
            Correction = string.IsNullOrWhiteSpace(input.Correction) ? "(rectification à rédiger)" : input.Correction,
            RectifiesDocumentId = input.RectifiesDocumentId,
            OtherRecipients = input.OtherRecipients?.ToList() ?? [],
        };
        if (input.Act == ProposalAct.Rectification && await RectifiedAsync(application.Id, input.RectifiesDocumentId) is null)
        {
            return null;
        }

        if (input.Act != ProposalAct.Decision && !await db.Decisions.AnyAsync(d => d.ApplicationId == application.Id))
        {
            return null;
        }

        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        var letter = await PlanAsync(application, proposal, signatory?.FullName ?? "(signataire à choisir)", TitleOf(signatory), clock.GetUtcNow(), draft: true);
        return DecisionLetterPdf.Render(letter.Content);
    }

    /// <summary>The open proposal's letter as it will be issued if signed now by <paramref name="signatoryId"/>, marked "PROJET".</summary>
    public async Task<byte[]?> PreviewOpenAsync(string reference, Guid signatoryId)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        var proposal = application is null ? null : await OpenAsync(application.Id);
        if (proposal is null)
        {
            return null;
        }

        var signatory = await users.FindByIdAsync(signatoryId.ToString());
        var letter = await PlanAsync(application!, proposal, signatory?.FullName ?? "—", TitleOf(signatory), clock.GetUtcNow(), draft: true);
        return DecisionLetterPdf.Render(letter.Content);
    }

    /// <summary>
    /// Proposals waiting for a signature: vital emergencies on top, then the oldest first; those addressed to
    /// <paramref name="signatoryId"/> are marked; a signatory never sees their own proposals here.
    /// </summary>
    public async Task<IReadOnlyList<ProposalToSign>> WaitingAsync(Guid signatoryId) =>
        (await Waiting(db, signatoryId).ToListAsync())
            .OrderByDescending(r => r.Urgency == Urgency.VitalEmergency)
            .ThenBy(r => r.WaitingSince)
            .ToList();

    /// <summary>The one query behind "À signer" (the benchmark replays it as the list's floor): every pending proposal the signatory did not make.</summary>
    public static IQueryable<ProposalToSign> Waiting(DerogationDbContext db, Guid signatoryId) =>
        db.Proposals.AsNoTracking()
            .Where(p => p.State == ProposalState.Pending && p.ProposedByUserId != signatoryId)
            .Join(db.Applications, p => p.ApplicationId, a => a.Id, (p, a) => new ProposalToSign(
                a.Reference!, a.Kind, a.Urgency, p.Act, p.Outcome,
                db.Users.Where(u => u.Id == p.ProposedByUserId).Select(u => u.FullName).FirstOrDefault() ?? "—",
                p.UpdatedAt, p.SignatoryUserId == signatoryId));

    /// <summary>Letters of the application that a rectification may name: the decision's, the measures', earlier rectifications.</summary>
    public async Task<IReadOnlyList<(Guid DocumentId, IssuedDocumentKind Kind, DateTimeOffset IssuedAt, string Code)>> RectifiableLettersAsync(Guid applicationId)
    {
        var decisions = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == applicationId && d.LetterDocumentId != null)
            .Select(d => new { Id = d.LetterDocumentId!.Value, Code = d.VerificationCode! }).ToListAsync();
        var measures = await db.GrantMeasures.AsNoTracking().Where(m => m.ApplicationId == applicationId)
            .Select(m => new { Id = m.LetterDocumentId, Code = m.VerificationCode }).ToListAsync();
        var rectifications = await db.Proposals.AsNoTracking().Where(p => p.ApplicationId == applicationId && p.LetterDocumentId != null)
            .Select(p => new { Id = p.LetterDocumentId!.Value, Code = p.VerificationCode! }).ToListAsync();
        var codes = decisions.Concat(measures).Concat(rectifications).ToDictionary(x => x.Id, x => x.Code);
        var documents = await db.IssuedDocuments.AsNoTracking().Where(d => codes.Keys.Contains(d.Id))
            .OrderBy(d => d.CreatedAt).Select(d => new { d.Id, d.Kind, d.CreatedAt }).ToListAsync();
        return documents.Select(d => (d.Id, d.Kind, d.CreatedAt, codes[d.Id])).ToList();
    }

    /// <summary>A grant's conditions travel with a grant, an amendment, and the rectification of a grant (whose outcome is the grant's).</summary>
    private static bool KeepsConditions(ProposalInput input) =>
        input.Act == ProposalAct.Amendment
        || (input.Act == ProposalAct.Decision && input.Outcome == DecisionOutcome.Grant)
        || (input.Act == ProposalAct.Rectification && input.Outcome == DecisionOutcome.Grant);

    private async Task<ProposalError> ApplicableAsync(Application application, ProposalAct act, DecisionOutcome? outcome, Guid? rectifiesDocumentId)
    {
        switch (act)
        {
            case ProposalAct.Decision:
                if (!MayDecide(application.Status, outcome) || await db.Decisions.AnyAsync(d => d.ApplicationId == application.Id))
                {
                    return ProposalError.NotApplicable;
                }

                // A decision on the merits is argued criterion by criterion (checked again at signature); a closure is not one.
                if (outcome is DecisionOutcome.Grant or DecisionOutcome.Refuse
                    && (await Assessments.MissingAsync(db, application.Id, application.Kind)).Count > 0)
                {
                    return ProposalError.AssessmentIncomplete;
                }

                return ProposalError.None;
            case ProposalAct.Extension:
                return await GrantMeasures.ExtensionAllowedAsync(db, application) ? ProposalError.None : ProposalError.NotApplicable;
            case ProposalAct.Rectification:
                return await RectifiedAsync(application.Id, rectifiesDocumentId) is null ? ProposalError.LetterNotFound : ProposalError.None;
            default:
                return GrantMeasures.Applicable(application.Status).Contains(MeasureKind(act)) ? ProposalError.None : ProposalError.NotApplicable;
        }
    }

    private static GrantMeasureKind MeasureKind(ProposalAct act) => act switch
    {
        ProposalAct.Suspension => GrantMeasureKind.Suspension,
        ProposalAct.Reinstatement => GrantMeasureKind.Reinstatement,
        ProposalAct.Extension => GrantMeasureKind.Extension,
        ProposalAct.Amendment => GrantMeasureKind.Amendment,
        _ => GrantMeasureKind.Withdrawal,
    };

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The letter a rectification names, if it is one of the application's letters, with its verification code.</summary>
    private async Task<(IssuedDocument Document, string Code)?> RectifiedAsync(Guid applicationId, Guid? documentId)
    {
        var document = documentId is null ? null
            : await db.IssuedDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.ApplicationId == applicationId && d.Kind != IssuedDocumentKind.DepositReceipt);
        if (document is null)
        {
            return null;
        }

        var code = await db.Decisions.Where(d => d.LetterDocumentId == document.Id).Select(d => d.VerificationCode).SingleOrDefaultAsync()
                   ?? await db.GrantMeasures.Where(m => m.LetterDocumentId == document.Id).Select(m => m.VerificationCode).SingleOrDefaultAsync()
                   ?? await db.Proposals.Where(p => p.LetterDocumentId == document.Id).Select(p => p.VerificationCode).SingleOrDefaultAsync();
        return code is null ? null : (document, code);
    }

    private sealed record LetterPlan(
        object? Issued, DecisionLetter Content, IssuedDocumentKind Kind, string FileName, string? VerificationCode,
        IReadOnlyList<LetterRecipient> WithoutAccount, string French, string English, Decision? RectifiedDecision = null, string? Wording = null);

    /// <summary>
    /// What signing <paramref name="proposal"/> issues — the decision or measure row (not yet saved) and the letter's
    /// content — the same for the preview (<paramref name="draft"/>) as for the signature, so the preview is the letter.
    /// </summary>
    private async Task<LetterPlan> PlanAsync(Application application, Proposal proposal, string signatoryName, string signatoryTitle, DateTimeOffset at, bool draft)
    {
        // The standard paragraphs as ANSM's administrators last wrote them; the letter records which versions.
        var (wording, wordingLabel) = await wordings.ForLettersAsync();
        return await PlanAsync(application, proposal, signatoryName, signatoryTitle, at, draft, wording) with { Wording = wordingLabel };
    }

    private async Task<LetterPlan> PlanAsync(
        Application application, Proposal proposal, string signatoryName, string signatoryTitle, DateTimeOffset at, bool draft, LetterWordingSet wording)
    {
        var manufacturer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.ManufacturerId);
        var filer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.FilingOrganisationId);
        var code = draft ? null : DecisionService.NewVerificationCode();
        if (proposal.Act == ProposalAct.Decision)
        {
            var version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version);
            var decision = new Decision
            {
                Id = Guid.NewGuid(),
                ApplicationId = application.Id,
                Outcome = proposal.Outcome ?? DecisionOutcome.Grant,
                Reasons = proposal.Reasons,
                Conditions = proposal.Outcome == DecisionOutcome.Grant ? proposal.Conditions : new DecisionConditions(),
                SignatoryName = signatoryName,
                SignatoryTitle = signatoryTitle,
                Version = version,
                DecidedAt = at,
                DecidedByUserId = proposal.ProposedByUserId,
                OtherRecipients = proposal.OtherRecipients,
                VerificationCode = code,
            };
            var answers = await AnswersAsync(application.Id, version);
            var source = new LetterSource(LetterFacts.Case(application, answers, manufacturer, filer), LetterFacts.Decision(decision), code, draft || code is null ? null : links.Verification(code), draft, wording);
            var outcome = decision.Outcome switch
            {
                DecisionOutcome.Grant => ("décision de l'ANSM : demande accordée", "ANSM's decision: granted"),
                DecisionOutcome.Refuse => ("décision de l'ANSM : demande refusée", "ANSM's decision: refused"),
                _ => ("décision de l'ANSM : demande close sans décision", "ANSM's decision: closed without decision"),
            };
            return new LetterPlan(decision, DecisionLetterBuilder.Build(source), IssuedDocumentKind.DecisionLetter, $"decision-{application.Reference}.pdf", code,
                DecisionLetterBuilder.RecipientsWithoutAccount(answers, source.Decision, application.Kind), outcome.Item1, outcome.Item2);
        }

        var granted = await db.Decisions.SingleAsync(d => d.ApplicationId == application.Id);
        var grantedAnswers = await AnswersAsync(application.Id, granted.Version);
        var grantSource = new LetterSource(LetterFacts.Case(application, grantedAnswers, manufacturer, filer), LetterFacts.Decision(granted), code, draft || code is null ? null : links.Verification(code), draft, wording);
        var recipients = DecisionLetterBuilder.RecipientsWithoutAccount(grantedAnswers, grantSource.Decision, application.Kind);
        if (proposal.Act == ProposalAct.Rectification)
        {
            var (document, rectifiedCode) = (await RectifiedAsync(application.Id, proposal.RectifiesDocumentId))!.Value;
            var rectifiesGrant = document.Id == granted.LetterDocumentId && granted.Outcome == DecisionOutcome.Grant;
            var content = DecisionLetterBuilder.BuildRectification(grantSource, new RectifiedLetter(document.CreatedAt, rectifiedCode), proposal.Reasons, proposal.Correction ?? "",
                rectifiesGrant ? proposal.Conditions : null, signatoryName, signatoryTitle, at);
            return new LetterPlan(null, content, IssuedDocumentKind.RectificationLetter, $"rectification-{application.Reference}.pdf", code, recipients,
                "décision rectificative de l'ANSM", "ANSM's rectifying decision", rectifiesGrant ? granted : null);
        }

        var kind = MeasureKind(proposal.Act);
        var measure = new GrantMeasure
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Kind = kind,
            Reasons = proposal.Reasons,
            SignatoryName = signatoryName,
            SignatoryTitle = signatoryTitle,
            DecidedAt = at,
            DecidedByUserId = proposal.ProposedByUserId,
            VerificationCode = code ?? "",
            NewValidUntil = kind == GrantMeasureKind.Extension ? (await db.CurrentValidUntilAsync(application.Id))?.AddMonths(12) : null,
            // The validity stays the grant's (see ProposeAsync); the preview gets it from here too.
            Conditions = kind == GrantMeasureKind.Amendment
                ? new DecisionConditions
                {
                    ValidFrom = granted.Conditions.ValidFrom, ValidUntil = granted.Conditions.ValidUntil, MaxPatients = proposal.Conditions.MaxPatients,
                    Establishments = proposal.Conditions.Establishments, FollowUp = proposal.Conditions.FollowUp, Restrictions = proposal.Conditions.Restrictions,
                }
                : null,
        };
        var suspendedAt = await db.GrantMeasures.Where(m => m.ApplicationId == application.Id && m.Kind == GrantMeasureKind.Suspension)
            .OrderByDescending(m => m.DecidedAt).Select(m => (DateTimeOffset?)m.DecidedAt).FirstOrDefaultAsync();
        var (french, english, fileName, documentKind) = kind switch
        {
            GrantMeasureKind.Suspension => ("dérogation suspendue par l'ANSM", "derogation suspended by ANSM", "suspension", IssuedDocumentKind.SuspensionLetter),
            GrantMeasureKind.Reinstatement => ("suspension levée par l'ANSM", "suspension lifted by ANSM", "levee-suspension", IssuedDocumentKind.ReinstatementLetter),
            GrantMeasureKind.Extension => ("dérogation prolongée de 12 mois par l'ANSM", "derogation extended by ANSM for 12 months", "prolongation", IssuedDocumentKind.ExtensionLetter),
            GrantMeasureKind.Amendment => ("conditions de la dérogation modifiées par l'ANSM", "derogation's conditions amended by ANSM", "modification", IssuedDocumentKind.AmendmentLetter),
            _ => ("dérogation retirée par l'ANSM", "derogation withdrawn by ANSM", "retrait", IssuedDocumentKind.WithdrawalLetter),
        };
        return new LetterPlan(measure, DecisionLetterBuilder.BuildMeasure(grantSource, LetterFacts.Measure(measure), suspendedAt), documentKind, $"{fileName}-{application.Reference}.pdf", code,
            recipients, french, english);
    }

    private Task<ApplicationAnswers> AnswersAsync(Guid applicationId, int version) =>
        db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == applicationId && v.Version == version).Select(v => v.Answers).SingleAsync();

    private static string TitleOf(PortalUser? signatory) =>
        string.IsNullOrWhiteSpace(signatory?.JobTitle) ? DecisionService.DefaultSignatoryTitle : signatory.JobTitle;

    /// <summary>For the audit trail: the act and outcome, never the text.</summary>
    private static string Describe(Proposal proposal) => proposal.Outcome is { } outcome && proposal.Act == ProposalAct.Decision ? $"{proposal.Act}: {outcome}" : proposal.Act.ToString();

    private static string ActFrench(Proposal proposal) => proposal.Act switch
    {
        ProposalAct.Decision => proposal.Outcome switch
        {
            DecisionOutcome.Grant => "décision d'octroi",
            DecisionOutcome.Refuse => "décision de refus",
            _ => "clôture sans décision",
        },
        ProposalAct.Suspension => "suspension",
        ProposalAct.Reinstatement => "levée de suspension",
        ProposalAct.Withdrawal => "retrait",
        ProposalAct.Extension => "prolongation",
        ProposalAct.Amendment => "modification des conditions",
        _ => "rectification",
    };

    private static string ActEnglish(Proposal proposal) => proposal.Act switch
    {
        ProposalAct.Decision => proposal.Outcome switch
        {
            DecisionOutcome.Grant => "grant",
            DecisionOutcome.Refuse => "refusal",
            _ => "closure without decision",
        },
        ProposalAct.Suspension => "suspension",
        ProposalAct.Reinstatement => "lifting of a suspension",
        ProposalAct.Withdrawal => "withdrawal",
        ProposalAct.Extension => "extension",
        ProposalAct.Amendment => "amendment of the conditions",
        _ => "rectification",
    };
}
