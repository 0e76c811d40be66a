using Derogation.Core.Navigation;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum InformationRequestError
{
    None,
    NotFound,
    /// <summary>Information can be requested only while the application is under review.</summary>
    NotUnderReview,
    MessageRequired,
    MessageTooLong,
    /// <summary>A section named that this kind of application does not have.</summary>
    UnknownSection,
    DeadlineNotInFuture,
    AttachmentRejected,
    ChangedMeanwhile,
    /// <summary>Asked of the prescriber, but the application names no prescriber's address (or is not an individual one).</summary>
    NoPrescriberToAsk,
    /// <summary>After the decision, a request opens no section and asks no prescriber: the decision is not reopened.</summary>
    NothingToAmendAfterDecision,
    /// <summary>A request already waits for an answer on this derogation.</summary>
    AlreadyOpen,
}

public enum AnswerError
{
    None,
    NotFound,
    /// <summary>No request is waiting for an answer (already answered, withdrawn, decided).</summary>
    NothingToAnswer,
    AnswerRequired,
    AnswerTooLong,
    /// <summary>An amended section is not complete any more: the answer cannot freeze an incomplete version.</summary>
    SectionIncomplete,
    /// <summary>The answer identifies the patient (Anonymisation.InTextAbout says what).</summary>
    Identifying,
    /// <summary>The file sent with an answer after the decision was refused (the refusal says why).</summary>
    AttachmentRejected,
    /// <summary>A file goes with an answer only after the decision; before it, documents are added in the application.</summary>
    AttachmentNotExpected,
}

public enum CancelRequestError
{
    None,
    NotFound,
    /// <summary>Only the reviewer holding the application, or a senior reviewer, cancels its request.</summary>
    NotHolder,
    NothingToCancel,
    ReasonRequired,
    ReasonTooLong,
}

/// <summary>Configuration section "InformationRequests".</summary>
public sealed class InformationRequestOptions
{
    /// <summary>Days before the answer deadline at which the applicant is reminded, once (default 3).</summary>
    public int ReminderDaysBefore { get; set; } = 3;
}

/// <summary>What the reviewer asks; <paramref name="AskPrescriber"/>: the prescriber also gets a link to complete their part.</summary>
public sealed record InformationRequestInput(string? Message, IReadOnlyList<string> AmendableSections, DateOnly? AnswerDeadline, bool AskPrescriber = false);

public sealed record RequestAttachment(string FileName, Stream Content);

/// <summary>
/// Questions and answers (docs/domain.md §4). During the review, a request moves the application to
/// InformationRequested and stops the regulatory clock; the applicant may amend only the sections named and add
/// documents; the answer freezes the next version, moves the target date on by the days waited, and hands the
/// application back to its reviewer. After a grant, ANSM may still ask (follow-up of the derogation): the decision is
/// not reopened — the status stays, nothing is amended — and the applicant answers with a text and optionally a file.
/// Each transition is one transaction with its audit event and notifications.
/// </summary>
public sealed class InformationRequests(
    DerogationDbContext db, DocumentStore documents, RuleContext rules, OutboxSignal outbox, InformationRequestOptions options, TimeProvider clock, PrescriberPart prescribers, IPortalLinks links)
{
    public const int MaxTextLength = 8000;

    public async Task<(InformationRequestError Error, UploadRefusal? AttachmentRefusal, InformationRequest? Request)> RequestAsync(
        string reference, InformationRequestInput input, RequestAttachment? attachment, Guid reviewerId, uint? rowVersionSeenByUser = null)
    {
        if (string.IsNullOrWhiteSpace(input.Message))
        {
            return (InformationRequestError.MessageRequired, null, null);
        }

        if (input.Message.Length > MaxTextLength)
        {
            return (InformationRequestError.MessageTooLong, null, null);
        }

        if (input.AnswerDeadline is { } deadline && deadline <= FrenchTime.Today(clock))
        {
            return (InformationRequestError.DeadlineNotInFuture, null, null);
        }

        // The reviewer's file is checked before anything is locked: an infected file's audit event is kept even
        // though the request is not saved.
        Inspected? inspected = null;
        if (attachment is not null)
        {
            var applicationId = await db.Applications.Where(a => a.Reference == reference && a.Status != ApplicationStatus.Draft).Select(a => (Guid?)a.Id).SingleOrDefaultAsync();
            if (applicationId is null)
            {
                return (InformationRequestError.NotFound, null, null);
            }

            var (refusal, checkedFile) = await documents.InspectAsync(attachment.FileName, attachment.Content,
                new UploadSubject(nameof(Application), applicationId.ToString()!, reviewerId), null);
            if (refusal is not null)
            {
                return (InformationRequestError.AttachmentRejected, refusal, null);
            }

            inspected = checkedFile;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (InformationRequestError.NotFound, null, null);
        }

        var afterDecision = MayAskAfterDecision(application.Status);
        if (rowVersionSeenByUser is not null && rowVersionSeenByUser != application.RowVersion)
        {
            return (application.Status == ApplicationStatus.UnderReview || afterDecision ? InformationRequestError.ChangedMeanwhile : InformationRequestError.NotUnderReview, null, null);
        }

        if (application.Status != ApplicationStatus.UnderReview && !afterDecision)
        {
            return (InformationRequestError.NotUnderReview, null, null);
        }

        if (afterDecision && (input.AmendableSections.Count > 0 || input.AskPrescriber))
        {
            return (InformationRequestError.NothingToAmendAfterDecision, null, null);
        }

        if (afterDecision && await OpenRequestAsync(application.Id) is not null)
        {
            return (InformationRequestError.AlreadyOpen, null, null);
        }

        var prescriberEmail = application.Answers.HealthProfessionals.PrescriberEmail;
        if (input.AskPrescriber && (application.Kind != ApplicationKind.Individual || !PrescriberPart.IsEmail(prescriberEmail)))
        {
            return (InformationRequestError.NoPrescriberToAsk, null, null);
        }

        var steps = WizardSteps.For(application.Kind).Select(s => s.Name).ToList();
        if (input.AmendableSections.Any(section => !steps.Contains(section)))
        {
            return (InformationRequestError.UnknownSection, null, null);
        }

        var file = attachment is null ? null : await documents.WriteAsync(application.Id, DocumentType.Other, attachment.FileName, attachment.Content, inspected!);

        var now = clock.GetUtcNow();
        var round = await db.InformationRequests.CountAsync(r => r.ApplicationId == application.Id) + 1;
        var request = new InformationRequest
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Round = round,
            Message = input.Message.Trim(),
            // In the wizard's order, whatever order they were ticked in.
            AmendableSections = steps.Where(input.AmendableSections.Contains).ToList(),
            AnswerDeadline = input.AnswerDeadline,
            Attachment = file,
            RequestedAt = now,
            RequestedByUserId = reviewerId,
            AfterDecision = afterDecision,
        };
        db.InformationRequests.Add(request);
        var link = links.Application(application.Reference!);
        var deadlineText = request.AnswerDeadline is { } d ? $" avant le {d:dd/MM/yyyy}" : "";
        var deadlineEnglish = request.AnswerDeadline is { } e ? $" by {e:yyyy-MM-dd}" : "";
        application.UpdatedAt = now;
        if (afterDecision)
        {
            db.Record(clock, AuditActions.InformationRequested, reviewerId, nameof(Application), application.Id.ToString(), $"round {round}, after the decision");
            foreach (var recipient in await ApplicantSideEmailsAsync(application))
            {
                db.Enqueue(clock, recipient,
                    $"Dérogation {application.Reference} : l'ANSM demande des informations / ANSM requests information",
                    $"Bonjour,\n\nDans le cadre du suivi de la dérogation {application.Reference}, l'ANSM vous demande des informations. " +
                    $"La décision n'est pas remise en cause. Consultez la question et répondez{deadlineText} sur le portail :\n\n{link}\n\n" +
                    $"ANSM — portail des dérogations au marquage CE\n\n---\n\nHello,\n\nAs part of its follow-up of derogation {application.Reference}, ANSM asks you for information. " +
                    $"The decision is not reopened. Read the question and answer{deadlineEnglish} on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal",
                    AuditActions.InformationRequested, application.Id);
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            outbox.Wake();
            return (InformationRequestError.None, null, request);
        }

        var from = application.Status;
        application.Status = ApplicationStatus.InformationRequested;
        db.Record(clock, AuditActions.InformationRequested, reviewerId, nameof(Application), application.Id.ToString(), $"round {round}",
            fromState: from.ToString(), toState: application.Status.ToString());
        if (input.AskPrescriber)
        {
            // The same single-use link as the applicant's invitation, with the reviewer's message; it works while the request is open.
            var filer = await db.Organisations.Where(o => o.Id == application.FilingOrganisationId).Select(o => o.LegalName).SingleAsync();
            await prescribers.Invite(application, prescriberEmail!.Trim(), request.Id, request.Message, filer, reviewerId);
        }

        foreach (var recipient in await ApplicantSideEmailsAsync(application))
        {
            db.Enqueue(clock, recipient,
                $"Demande {application.Reference} : l'ANSM demande des informations / ANSM requests information",
                $"Bonjour,\n\nL'ANSM a besoin d'informations complémentaires pour instruire la demande {application.Reference}. " +
                $"Consultez la demande et répondez{deadlineText} sur le portail :\n\n{link}\n\nLe délai d'instruction est suspendu jusqu'à votre réponse.\n\n" +
                $"ANSM — portail des dérogations au marquage CE\n\n---\n\nHello,\n\nANSM needs further information to review application {application.Reference}. " +
                $"Read the request and answer{deadlineEnglish} on the portal:\n\n{link}\n\nThe review clock is stopped until you answer.\n\nANSM — CE-marking derogation portal",
                AuditActions.InformationRequested, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (InformationRequestError.None, null, request);
    }

    /// <summary>A granted derogation, or a suspended one, may still be asked about; the decision is not reopened.</summary>
    public static bool MayAskAfterDecision(ApplicationStatus status) => status is ApplicationStatus.Granted or ApplicationStatus.Suspended;

    /// <summary>The request waiting for an answer, if any.</summary>
    public Task<InformationRequest?> OpenRequestAsync(Guid applicationId) =>
        db.InformationRequests.Where(r => r.ApplicationId == applicationId && r.AnsweredAt == null && r.CancelledAt == null).SingleOrDefaultAsync();

    public async Task<IReadOnlyList<InformationRequest>> AllAsync(Guid applicationId) =>
        await db.InformationRequests.AsNoTracking().Where(r => r.ApplicationId == applicationId).OrderBy(r => r.Round).ToListAsync();

    /// <summary>A file attached to one of the application's requests: the reviewer's, or the applicant's answer after the decision.</summary>
    public async Task<DocumentReference?> AttachmentAsync(Guid applicationId, Guid documentId) =>
        (await AllAsync(applicationId)).SelectMany(r => new[] { r.Attachment, r.AnswerAttachment }).FirstOrDefault(a => a?.Id == documentId);

    /// <summary>May this step of the application be changed now: a draft, or a section named by the open request.</summary>
    public static bool MayAmend(Application application, InformationRequest? openRequest, string slug) =>
        application.Status == ApplicationStatus.Draft
        || (application.Status == ApplicationStatus.InformationRequested && openRequest?.AmendableSections.Contains(slug) == true);

    /// <summary>Keeps the answer's text without sending it, so nothing typed is lost while sections are amended.</summary>
    public async Task<AnswerError> SaveAnswerDraftAsync(Guid applicationId, Viewer viewer, string? answer)
    {
        if (answer?.Length > MaxTextLength)
        {
            return AnswerError.AnswerTooLong;
        }

        var application = await AnswerableAsync(applicationId, viewer);
        var request = application is null ? null : await OpenRequestAsync(application.Id);
        if (request is null)
        {
            return application is null ? AnswerError.NotFound : AnswerError.NothingToAnswer;
        }

        if (Anonymisation.InTextAbout(application!, answer).Count > 0)
        {
            // Nothing identifying is kept, not even in a draft answer.
            return AnswerError.Identifying;
        }

        request.Answer = string.IsNullOrWhiteSpace(answer) ? null : answer.Trim();
        await db.SaveChangesAsync();
        return AnswerError.None;
    }

    /// <summary>
    /// Sends the answer: the application's current answers become the next version, the clock restarts with the
    /// target date moved on by the days waited, and the application is back under review with its reviewer.
    /// </summary>
    public async Task<(AnswerError Error, string? IncompleteSection, UploadRefusal? Refusal)> AnswerAsync(
        Guid applicationId, Viewer viewer, string? answer, RequestAttachment? attachment = null)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return (AnswerError.AnswerRequired, null, null);
        }

        if (answer.Length > MaxTextLength)
        {
            return (AnswerError.AnswerTooLong, null, null);
        }

        var answerable = await AnswerableAsync(applicationId, viewer);
        var open = answerable is null ? null : await OpenRequestAsync(answerable.Id);
        if (answerable is null || open is null)
        {
            return (answerable is null ? AnswerError.NotFound : AnswerError.NothingToAnswer, null, null);
        }

        // The file is checked before anything is locked, as a document would be (for an individual derogation, by the patient rules too).
        Inspected? inspected = null;
        if (attachment is not null)
        {
            if (!open.AfterDecision)
            {
                return (AnswerError.AttachmentNotExpected, null, null);
            }

            var patient = answerable.Kind == ApplicationKind.Individual
                ? new PatientInitials(answerable.Answers.Patient.LastNameInitial, answerable.Answers.Patient.FirstNameInitial) : null;
            var (refusal, checkedFile) = await documents.InspectAsync(attachment.FileName, attachment.Content,
                new UploadSubject(nameof(Application), answerable.Id.ToString(), viewer.UserId), patient);
            if (refusal is not null)
            {
                return (AnswerError.AttachmentRejected, null, refusal);
            }

            inspected = checkedFile;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE id = {applicationId} FOR UPDATE");
        var application = await AnswerableAsync(applicationId, viewer);
        if (application is null)
        {
            return (AnswerError.NotFound, null, null);
        }

        var request = await OpenRequestAsync(application.Id);
        if (request is null || request.Id != open.Id || (!request.AfterDecision && application.Status != ApplicationStatus.InformationRequested))
        {
            return (AnswerError.NothingToAnswer, null, null);
        }

        if (Anonymisation.InTextAbout(application, answer).Count > 0)
        {
            return (AnswerError.Identifying, null, null);
        }

        if (request.AfterDecision)
        {
            await AnswerAfterDecisionAsync(application, request, viewer, answer, attachment, inspected);
            await transaction.CommitAsync();
            outbox.Wake();
            return (AnswerError.None, null, null);
        }

        if (WizardSteps.FirstIncomplete(application.Kind, application.Answers, rules) is { } incomplete)
        {
            return (AnswerError.SectionIncomplete, incomplete.Name, null);
        }

        var now = clock.GetUtcNow();
        var version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version) + 1;
        db.ApplicationVersions.Add(new ApplicationVersion
        {
            ApplicationId = application.Id, Version = version, Answers = AnswersJson.Copy(application.Answers), CreatedAt = now, CreatedByUserId = viewer.UserId,
        });
        request.Answer = answer.Trim();
        request.AnsweredAt = now;
        request.AnsweredByUserId = viewer.UserId;
        request.AnswerVersion = version;
        // The clock stopped while ANSM waited: the target moves on by the calendar days the answer took.
        var waited = FrenchTime.Today(clock).DayNumber - DateOnly.FromDateTime(FrenchTime.InParis(request.RequestedAt).DateTime).DayNumber;
        application.TargetDate = application.TargetDate?.AddDays(Math.Max(0, waited));
        var from = application.Status;
        application.Status = ApplicationStatus.UnderReview;
        application.UpdatedAt = now;
        db.Record(clock, AuditActions.InformationAnswered, viewer.UserId, nameof(Application), application.Id.ToString(), $"round {request.Round}, version {version}",
            fromState: from.ToString(), toState: application.Status.ToString());
        if (application.ManufacturerId != application.FilingOrganisationId)
        {
            // The manufacturer is told what its consultant answered on its behalf.
            var link = links.Application(application.Reference!);
            foreach (var recipient in await db.EmailsAsync(application.ManufacturerId))
            {
                db.Enqueue(clock, recipient, $"Demande {application.Reference} : réponse envoyée à l'ANSM / answer sent to ANSM",
                    $"Bonjour,\n\nLe demandeur a répondu, pour votre compte, à la demande d'information n° {request.Round} de l'ANSM sur la demande {application.Reference} (version {version}). " +
                    $"La réponse est consultable sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                    $"Hello,\n\nThe applicant answered, on your behalf, ANSM's information request no. {request.Round} on application {application.Reference} (version {version}). " +
                    $"The answer can be read on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal",
                    "InformationAnsweredCopy", application.Id);
            }
        }

        var reviewerEmail = await db.Users.Where(u => u.Id == application.AssignedReviewerId).Select(u => u.Email).SingleOrDefaultAsync();
        if (reviewerEmail is not null)
        {
            db.Enqueue(clock, reviewerEmail, $"Demande {application.Reference} : réponse du demandeur",
                $"Bonjour,\n\nLe demandeur a répondu à la demande d'information n° {request.Round} sur la demande {application.Reference} (version {version}).\n\n" +
                $"{links.CaseFile(application.Reference!)}\n\nPortail des dérogations au marquage CE",
                AuditActions.InformationAnswered, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (AnswerError.None, null, null);
    }

    /// <summary>The answer to a question asked after the decision: kept with its file; the status, the version and the conditions stay.</summary>
    private async Task AnswerAfterDecisionAsync(Application application, InformationRequest request, Viewer viewer, string answer, RequestAttachment? attachment, Inspected? inspected)
    {
        var now = clock.GetUtcNow();
        request.Answer = answer.Trim();
        request.AnsweredAt = now;
        request.AnsweredByUserId = viewer.UserId;
        request.AnswerAttachment = attachment is null ? null : await documents.WriteAsync(application.Id, DocumentType.Other, attachment.FileName, attachment.Content, inspected!);
        application.UpdatedAt = now;
        db.Record(clock, AuditActions.InformationAnswered, viewer.UserId, nameof(Application), application.Id.ToString(), $"round {request.Round}, after the decision");
        var link = links.Application(application.Reference!);
        if (application.ManufacturerId != application.FilingOrganisationId)
        {
            foreach (var recipient in await db.EmailsAsync(application.ManufacturerId))
            {
                db.Enqueue(clock, recipient, $"Dérogation {application.Reference} : réponse envoyée à l'ANSM / answer sent to ANSM",
                    $"Bonjour,\n\nLe demandeur a répondu, pour votre compte, à la question n° {request.Round} de l'ANSM sur la dérogation {application.Reference}. " +
                    $"La réponse est consultable sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                    $"Hello,\n\nThe applicant answered, on your behalf, ANSM's question no. {request.Round} on derogation {application.Reference}. " +
                    $"The answer can be read on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal",
                    "InformationAnsweredCopy", application.Id);
            }
        }

        var reviewerEmail = await db.Users.Where(u => u.Id == application.AssignedReviewerId).Select(u => u.Email).SingleOrDefaultAsync();
        if (reviewerEmail is not null)
        {
            db.Enqueue(clock, reviewerEmail, $"Dérogation {application.Reference} : réponse du demandeur (suivi)",
                $"Bonjour,\n\nLe demandeur a répondu à la question n° {request.Round} posée après la décision sur la dérogation {application.Reference}.\n\n" +
                $"{links.CaseFile(application.Reference!)}\n\nPortail des dérogations au marquage CE",
                AuditActions.InformationAnswered, application.Id);
        }

        await db.SaveChangesAsync();
    }

    /// <summary>
    /// The reviewer holding the case (or a senior reviewer) cancels the open request, with a reason the applicant
    /// reads: the application is back under review and the target date moves on by the days waited, as for an answer.
    /// </summary>
    public async Task<CancelRequestError> CancelAsync(string reference, string? reason, Guid reviewerId)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return CancelRequestError.ReasonRequired;
        }

        if (reason.Length > 4000)
        {
            return CancelRequestError.ReasonTooLong;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return CancelRequestError.NotFound;
        }

        var senior = await db.UserRoles.AnyAsync(ur => ur.UserId == reviewerId && db.Roles.Any(r => r.Id == ur.RoleId && r.Name == Organisations.Roles.SeniorReviewer));
        if (!senior && application.AssignedReviewerId != reviewerId)
        {
            return CancelRequestError.NotHolder;
        }

        var request = await OpenRequestAsync(application.Id);
        if (request is null || (!request.AfterDecision && application.Status != ApplicationStatus.InformationRequested))
        {
            return CancelRequestError.NothingToCancel;
        }

        var now = clock.GetUtcNow();
        request.CancelledAt = now;
        request.CancelledByUserId = reviewerId;
        request.CancelReason = reason.Trim();
        application.UpdatedAt = now;
        if (request.AfterDecision)
        {
            // Nothing was stopped: the derogation simply stays as it is.
            db.Record(clock, AuditActions.InformationRequestCancelled, reviewerId, nameof(Application), application.Id.ToString(), $"round {request.Round}, after the decision");
        }
        else
        {
            var waited = FrenchTime.Today(clock).DayNumber - DateOnly.FromDateTime(FrenchTime.InParis(request.RequestedAt).DateTime).DayNumber;
            application.TargetDate = application.TargetDate?.AddDays(Math.Max(0, waited));
            var from = application.Status;
            application.Status = ApplicationStatus.UnderReview;
            db.Record(clock, AuditActions.InformationRequestCancelled, reviewerId, nameof(Application), application.Id.ToString(), $"round {request.Round}",
                fromState: from.ToString(), toState: application.Status.ToString());
        }

        var link = links.Application(application.Reference!);
        foreach (var recipient in await ApplicantSideEmailsAsync(application))
        {
            db.Enqueue(clock, recipient, $"Demande {application.Reference} : demande d'information annulée / information request cancelled",
                $"Bonjour,\n\nL'ANSM a annulé la demande d'information n° {request.Round} sur la demande {application.Reference}. Le motif est indiqué sur le portail :\n\n{link}\n\n" +
                (request.AfterDecision ? "" : "L'instruction reprend.\n\n") + "ANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nANSM cancelled information request no. {request.Round} on application {application.Reference}. " +
                $"The reason is shown on the portal:\n\n{link}\n\n" + (request.AfterDecision ? "" : "The review resumes.\n\n") + "ANSM — CE-marking derogation portal",
                AuditActions.InformationRequestCancelled, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return CancelRequestError.None;
    }

    /// <summary>
    /// Deadlines that act: the applicant is reminded once, <see cref="InformationRequestOptions.ReminderDaysBefore"/>
    /// days before the deadline; once it has passed without an answer, the reviewer holding the case is told once (the
    /// queue flags the case "Délai dépassé" from then on). Each message is claimed by an UPDATE of its request's row
    /// before it is queued, so several instances never send one twice.
    /// </summary>
    public async Task<(int Reminded, int Overdue)> RunDeadlinesAsync()
    {
        var today = FrenchTime.Today(clock);
        var remindFrom = today.AddDays(options.ReminderDaysBefore);
        var due = await db.InformationRequests.AsNoTracking()
            .Where(r => r.AnsweredAt == null && r.CancelledAt == null && r.AnswerDeadline != null
                        && ((r.ReminderSentAt == null && r.AnswerDeadline >= today && r.AnswerDeadline <= remindFrom) || (r.OverdueNotifiedAt == null && r.AnswerDeadline < today)))
            .Join(db.Applications, r => r.ApplicationId, a => a.Id, (r, a) => new { Request = r, Application = a })
            .Where(x => x.Application.Status == ApplicationStatus.InformationRequested
                        || (x.Request.AfterDecision && (x.Application.Status == ApplicationStatus.Granted || x.Application.Status == ApplicationStatus.Suspended)))
            .ToListAsync();
        var (reminded, overdue) = (0, 0);
        foreach (var (request, application) in due.Select(d => (d.Request, d.Application)))
        {
            var passed = request.AnswerDeadline < today;
            await using var transaction = await db.Database.BeginTransactionAsync();
            var now = clock.GetUtcNow();
            var claimed = passed
                ? await db.InformationRequests.Where(r => r.Id == request.Id && r.OverdueNotifiedAt == null).ExecuteUpdateAsync(r => r.SetProperty(x => x.OverdueNotifiedAt, now))
                : await db.InformationRequests.Where(r => r.Id == request.Id && r.ReminderSentAt == null).ExecuteUpdateAsync(r => r.SetProperty(x => x.ReminderSentAt, now));
            if (claimed == 0)
            {
                continue;
            }

            var deadline = request.AnswerDeadline!.Value;
            if (passed)
            {
                var holder = await db.Users.Where(u => u.Id == application.AssignedReviewerId).Select(u => u.Email).SingleOrDefaultAsync();
                if (holder is not null)
                {
                    db.Enqueue(clock, holder, $"Demande {application.Reference} : délai de réponse dépassé",
                        $"Bonjour,\n\nLe délai de réponse à la demande d'information n° {request.Round} sur la demande {application.Reference} a expiré le {deadline:dd/MM/yyyy} sans réponse. " +
                        (request.AfterDecision
                            ? $"La décision n'est pas remise en cause ; vous pouvez relancer le demandeur, annuler la question, ou proposer une mesure (modification des conditions, suspension, retrait) :\n\n{links.CaseFile(application.Reference!)}\n\n"
                            : $"Vous pouvez relancer le demandeur, annuler la demande, ou proposer un refus ou une clôture sans décision :\n\n{links.CaseFile(application.Reference!)}\n\n") +
                        "Portail des dérogations au marquage CE",
                        "InformationDeadlinePassed", application.Id);
                }

                overdue++;
            }
            else
            {
                var link = links.Application(application.Reference!);
                foreach (var recipient in await ApplicantSideEmailsAsync(application))
                {
                    db.Enqueue(clock, recipient, $"Demande {application.Reference} : réponse attendue avant le {deadline:dd/MM/yyyy} / answer due by {deadline:yyyy-MM-dd}",
                        $"Bonjour,\n\nL'ANSM attend votre réponse à la demande d'information n° {request.Round} sur la demande {application.Reference} avant le {deadline:dd/MM/yyyy}. " +
                        (request.AfterDecision ? "" : "Sans réponse, la demande pourra être refusée ou close sans décision. ") +
                        $"Répondez sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                        $"Hello,\n\nANSM is waiting for your answer to information request no. {request.Round} on application {application.Reference} by {deadline:yyyy-MM-dd}. " +
                        (request.AfterDecision ? "" : "Without an answer, the application may be refused or closed without decision. ") +
                        $"Answer on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal",
                        AuditActions.InformationDeadlineReminded, application.Id);
                }

                db.Record(clock, AuditActions.InformationDeadlineReminded, null, nameof(Application), application.Id.ToString(), $"round {request.Round}");
                reminded++;
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
        }

        if (reminded + overdue > 0)
        {
            outbox.Wake();
        }

        return (reminded, overdue);
    }

    /// <summary>Only the organisation that filed the application answers for it.</summary>
    private Task<Application?> AnswerableAsync(Guid applicationId, Viewer viewer) =>
        db.Applications.VisibleTo(viewer).SingleOrDefaultAsync(a => a.Id == applicationId && a.FilingOrganisationId == viewer.OrganisationId && a.Reference != null);

    /// <summary>
    /// Everyone on the applicant's side: the filing organisation's users and, when a consultant filed, the
    /// manufacturer's — who receives a copy of everything that follows its application.
    /// </summary>
    private Task<List<string>> ApplicantSideEmailsAsync(Application application) =>
        db.EmailsAsync(application.FilingOrganisationId, application.ManufacturerId);
}
