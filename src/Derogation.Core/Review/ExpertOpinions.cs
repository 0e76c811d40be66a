using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Navigation;
using Derogation.Core.Notifications;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public sealed record OpinionRequest(Guid? ExpertUserId, string? Question, IReadOnlyList<Guid> DocumentIds, DateOnly? Deadline);

public enum OpinionError
{
    None,
    NotFound,
    /// <summary>Only the reviewer holding the case, or a senior reviewer, asks for an opinion.</summary>
    NotHolder,
    ExpertRequired,
    /// <summary>Not an ANSM user who may be consulted, or the reviewer themself.</summary>
    ExpertInvalid,
    QuestionRequired,
    TooLong,
    DeadlineRequired,
    DeadlineNotInFuture,
    /// <summary>A document that is not one of the application's submitted documents.</summary>
    DocumentInvalid,
    AnswerRequired,
    AlreadyAnswered,
    AttachmentRejected,
}

/// <summary>Configuration section "ExpertOpinions".</summary>
public sealed class ExpertOpinionOptions
{
    /// <summary>Days before the deadline at which the expert is reminded, once (default 2).</summary>
    public int ReminderDaysBefore { get; set; } = 2;
}

/// <summary>
/// Opinions asked of other ANSM users: the holder (or a senior reviewer) asks a question, names the documents to read
/// and a deadline; the expert — who sees only the cases asked about, through the opinion — answers with a text and
/// optionally a file; the answer shows in the case file and its author is told. Reminded once before the deadline.
/// </summary>
public sealed class ExpertOpinions(DerogationDbContext db, DocumentStore documents, OutboxSignal outbox, ExpertOpinionOptions options, TimeProvider clock, IPortalLinks links)
{
    public const int MaxTextLength = 8000;

    /// <summary>ANSM users who may be consulted (not the one asking): id, name, first role.</summary>
    public async Task<IReadOnlyList<(Guid Id, string Name)>> ExpertsAsync(Guid except) =>
        (await db.Users.AsNoTracking()
            .Where(u => u.Id != except && db.UserRoles.Any(ur => ur.UserId == u.Id && db.Roles.Any(r => r.Id == ur.RoleId && Organisations.Roles.Consultable.Contains(r.Name!))))
            .OrderBy(u => u.FullName).Select(u => new { u.Id, u.FullName }).ToListAsync())
        .Select(u => (u.Id, u.FullName)).ToList();

    public async Task<(OpinionError Error, ExpertOpinion? Opinion)> AskAsync(string reference, OpinionRequest request, Guid reviewerId, bool seniorReviewer)
    {
        if (request.ExpertUserId is null)
        {
            return (OpinionError.ExpertRequired, null);
        }

        if (string.IsNullOrWhiteSpace(request.Question))
        {
            return (OpinionError.QuestionRequired, null);
        }

        if (request.Question.Trim().Length > MaxTextLength)
        {
            return (OpinionError.TooLong, null);
        }

        if (request.Deadline is not { } deadline)
        {
            return (OpinionError.DeadlineRequired, null);
        }

        if (deadline <= FrenchTime.Today(clock))
        {
            return (OpinionError.DeadlineNotInFuture, null);
        }

        if (request.ExpertUserId == reviewerId || !(await ExpertsAsync(reviewerId)).Any(e => e.Id == request.ExpertUserId))
        {
            return (OpinionError.ExpertInvalid, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (OpinionError.NotFound, null);
        }

        if (!seniorReviewer && application.AssignedReviewerId != reviewerId)
        {
            return (OpinionError.NotHolder, null);
        }

        var submitted = await SubmittedDocumentsAsync(application.Id);
        if (request.DocumentIds.Any(id => submitted.All(d => d.Id != id)))
        {
            return (OpinionError.DocumentInvalid, null);
        }

        var opinion = new ExpertOpinion
        {
            Id = Guid.NewGuid(), ApplicationId = application.Id, RequestedByUserId = reviewerId, ExpertUserId = request.ExpertUserId.Value,
            Question = request.Question.Trim(), DocumentIds = request.DocumentIds.Distinct().ToList(), Deadline = deadline, RequestedAt = clock.GetUtcNow(),
        };
        db.ExpertOpinions.Add(opinion);
        db.Record(clock, AuditActions.OpinionRequested, reviewerId, nameof(Application), application.Id.ToString(), $"deadline {deadline:yyyy-MM-dd}");
        if (await db.Users.Where(u => u.Id == opinion.ExpertUserId).Select(u => u.Email).SingleOrDefaultAsync() is { } email)
        {
            var link = links.ExpertOpinion(opinion.Id);
            db.Enqueue(clock, email, $"Demande {application.Reference} : avis demandé avant le {deadline:dd/MM/yyyy}",
                $"Bonjour,\n\nUn avis vous est demandé sur la demande de dérogation {application.Reference}, avant le {deadline:dd/MM/yyyy}. " +
                $"La question et les documents à lire sont sur le portail :\n\n{link}\n\nPortail des dérogations au marquage CE",
                AuditActions.OpinionRequested, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (OpinionError.None, opinion);
    }

    /// <summary>The opinions asked on a case, oldest first, with the names of who asked and who answers.</summary>
    public async Task<IReadOnlyList<(ExpertOpinion Opinion, string? Expert, string? RequestedBy)>> ForCaseAsync(Guid applicationId) =>
        (await db.ExpertOpinions.AsNoTracking().Where(o => o.ApplicationId == applicationId).OrderBy(o => o.RequestedAt)
            .Select(o => new
            {
                Opinion = o,
                Expert = db.Users.Where(u => u.Id == o.ExpertUserId).Select(u => u.FullName).FirstOrDefault(),
                RequestedBy = db.Users.Where(u => u.Id == o.RequestedByUserId).Select(u => u.FullName).FirstOrDefault(),
            }).ToListAsync())
        .Select(x => (x.Opinion, x.Expert, x.RequestedBy)).ToList();

    /// <summary>What an expert was asked, newest first: the opinion, the case's reference, device and manufacturer.</summary>
    public async Task<IReadOnlyList<(ExpertOpinion Opinion, string Reference, string? Device, string? Manufacturer)>> AskedOfAsync(Guid expertUserId) =>
        (await db.ExpertOpinions.AsNoTracking().Where(o => o.ExpertUserId == expertUserId)
            .Join(db.Applications, o => o.ApplicationId, a => a.Id, (o, a) => new { Opinion = o, a.Reference, a.DeviceName, Manufacturer = a.Manufacturer!.LegalName })
            .OrderBy(x => x.Opinion.AnsweredAt != null).ThenBy(x => x.Opinion.Deadline)
            .ToListAsync())
        .Select(x => (x.Opinion, x.Reference!, x.DeviceName, (string?)x.Manufacturer)).ToList();

    /// <summary>One opinion, for its expert only (null for anyone else: shown as 404).</summary>
    public async Task<(ExpertOpinion Opinion, Application Application)?> ForExpertAsync(Guid opinionId, Guid expertUserId)
    {
        var found = await db.ExpertOpinions.AsNoTracking().Where(o => o.Id == opinionId && o.ExpertUserId == expertUserId)
            .Join(db.Applications.Include(a => a.Manufacturer), o => o.ApplicationId, a => a.Id, (o, a) => new { Opinion = o, Application = a })
            .SingleOrDefaultAsync();
        return found is null ? null : (found.Opinion, found.Application);
    }

    /// <summary>Every document of the application's submitted versions (the latest version's first).</summary>
    public async Task<IReadOnlyList<DocumentReference>> SubmittedDocumentsAsync(Guid applicationId) =>
        (await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == applicationId).OrderByDescending(v => v.Version).ToListAsync())
        .SelectMany(v => v.Answers.Documents).DistinctBy(d => d.Id).ToList();

    public async Task<(OpinionError Error, UploadRefusal? Refusal)> AnswerAsync(Guid opinionId, Guid expertUserId, string? answer, RequestAttachment? attachment)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return (OpinionError.AnswerRequired, null);
        }

        if (answer.Trim().Length > MaxTextLength)
        {
            return (OpinionError.TooLong, null);
        }

        var applicationId = await db.ExpertOpinions.Where(o => o.Id == opinionId && o.ExpertUserId == expertUserId).Select(o => (Guid?)o.ApplicationId).SingleOrDefaultAsync();
        if (applicationId is null)
        {
            return (OpinionError.NotFound, null);
        }

        // ANSM's own file: antivirus and format, as for a reviewer's attachment (no patient rules: it is not the
        // applicant's). Checked before anything is locked.
        Inspected? inspected = null;
        if (attachment is not null)
        {
            var (refusal, checkedFile) = await documents.InspectAsync(attachment.FileName, attachment.Content,
                new UploadSubject(nameof(Application), applicationId.Value.ToString(), expertUserId), null);
            if (refusal is not null)
            {
                return (OpinionError.AttachmentRejected, refusal);
            }

            inspected = checkedFile;
        }

        // The opinion's row is locked: two submissions at once give one answer.
        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM expert_opinions WHERE id = {opinionId} FOR UPDATE");
        var opinion = await db.ExpertOpinions.SingleAsync(o => o.Id == opinionId);
        if (opinion.IsAnswered)
        {
            return (OpinionError.AlreadyAnswered, null);
        }

        opinion.Answer = answer.Trim();
        opinion.AnsweredAt = clock.GetUtcNow();
        opinion.AnswerAttachment = attachment is null ? null : await documents.WriteAsync(opinion.ApplicationId, DocumentType.Other, attachment.FileName, attachment.Content, inspected!);
        var reference = await db.Applications.Where(a => a.Id == opinion.ApplicationId).Select(a => a.Reference).SingleAsync();
        db.Record(clock, AuditActions.OpinionGiven, expertUserId, nameof(Application), opinion.ApplicationId.ToString());
        if (await db.Users.Where(u => u.Id == opinion.RequestedByUserId).Select(u => u.Email).SingleOrDefaultAsync() is { } email)
        {
            db.Enqueue(clock, email, $"Demande {reference} : l'avis demandé a été rendu",
                $"Bonjour,\n\nL'avis que vous avez demandé sur la demande {reference} a été rendu. Il figure au dossier :\n\n{links.CaseFile(reference!, "avis")}\n\n" +
                "Portail des dérogations au marquage CE",
                AuditActions.OpinionGiven, opinion.ApplicationId);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (OpinionError.None, null);
    }

    /// <summary>
    /// Reminds each expert once, ExpertOpinions:ReminderDaysBefore days before the deadline, of an opinion not given.
    /// Each reminder is claimed by an UPDATE of its row before it is queued (several instances never send two).
    /// </summary>
    public async Task<int> RemindAsync()
    {
        var today = FrenchTime.Today(clock);
        var remindFrom = today.AddDays(options.ReminderDaysBefore);
        var due = await db.ExpertOpinions.AsNoTracking()
            .Where(o => o.AnsweredAt == null && o.ReminderSentAt == null && o.Deadline >= today && o.Deadline <= remindFrom)
            .Join(db.Applications, o => o.ApplicationId, a => a.Id, (o, a) => new { Opinion = o, a.Reference })
            .ToListAsync();
        var reminded = 0;
        foreach (var item in due)
        {
            var now = clock.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync();
            if (await db.ExpertOpinions.Where(o => o.Id == item.Opinion.Id && o.ReminderSentAt == null).ExecuteUpdateAsync(o => o.SetProperty(x => x.ReminderSentAt, now)) == 0)
            {
                continue;
            }

            if (await db.Users.Where(u => u.Id == item.Opinion.ExpertUserId).Select(u => u.Email).SingleOrDefaultAsync() is { } email)
            {
                db.Enqueue(clock, email, $"Demande {item.Reference} : avis attendu avant le {item.Opinion.Deadline:dd/MM/yyyy}",
                    $"Bonjour,\n\nL'avis qui vous a été demandé sur la demande {item.Reference} est attendu avant le {item.Opinion.Deadline:dd/MM/yyyy} :\n\n" +
                    $"{links.ExpertOpinion(item.Opinion.Id)}\n\nPortail des dérogations au marquage CE",
                    "OpinionReminder", item.Opinion.ApplicationId);
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            reminded++;
        }

        if (reminded > 0)
        {
            outbox.Wake();
        }

        return reminded;
    }
}
