using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Navigation;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum MessageError
{
    None,
    NotFound,
    TextRequired,
    TooLong,
    /// <summary>The text identifies the patient (Anonymisation.InTextAbout says what).</summary>
    Identifying,
    AttachmentRejected,
}

/// <summary>A message with the name of its author (as ANSM, the applicant's side sees "ANSM").</summary>
public sealed record ThreadMessage(CaseMessage Message, string? Author, string? AuthorOrganisation);

/// <summary>
/// The thread of a submitted application between the applicant's side and ANSM. Each message: the patient rules on its
/// text, its file checked as a document is, its audit event (never its text), an e-mail to the other side through the
/// outbox (the holder, or the team address while nobody holds the case; the filer's and the manufacturer's users),
/// and a read mark set when the other side opens the thread.
/// </summary>
public sealed class CaseMessages(DerogationDbContext db, DocumentStore documents, OutboxSignal outbox, ReviewAlertOptions alerts, TimeProvider clock, IPortalLinks links)
{
    public const int MaxLength = 4000;

    /// <summary>The thread, oldest first; reading it as <paramref name="readerIsAnsm"/> marks the other side's messages read.</summary>
    public async Task<IReadOnlyList<ThreadMessage>> ReadAsync(Guid applicationId, bool readerIsAnsm)
    {
        await db.CaseMessages.Where(m => m.ApplicationId == applicationId && m.FromAnsm != readerIsAnsm && m.ReadAt == null)
            .ExecuteUpdateAsync(m => m.SetProperty(x => x.ReadAt, clock.GetUtcNow()));
        return (await db.CaseMessages.AsNoTracking().Where(m => m.ApplicationId == applicationId).OrderBy(m => m.SentAt)
                .Select(m => new
                {
                    Message = m,
                    Author = db.Users.Where(u => u.Id == m.AuthorUserId).Select(u => u.FullName).FirstOrDefault(),
                    Organisation = db.Users.Where(u => u.Id == m.AuthorUserId).Select(u => u.Organisation.LegalName).FirstOrDefault(),
                }).ToListAsync())
            .Select(x => new ThreadMessage(x.Message, x.Author, x.Organisation)).ToList();
    }

    /// <summary>The file of one message of this application, if it has one (downloading it marks nothing read).</summary>
    public Task<DocumentReference?> AttachmentAsync(Guid applicationId, Guid messageId) =>
        db.CaseMessages.AsNoTracking().Where(m => m.ApplicationId == applicationId && m.Id == messageId).Select(m => m.Attachment).SingleOrDefaultAsync();

    /// <summary>Messages from the other side not yet read (for the links to the thread).</summary>
    public Task<int> UnreadAsync(Guid applicationId, bool readerIsAnsm) =>
        db.CaseMessages.CountAsync(m => m.ApplicationId == applicationId && m.FromAnsm != readerIsAnsm && m.ReadAt == null);

    /// <summary>Sends a message on <paramref name="application"/> (found by the page for this user: visible, submitted).</summary>
    public async Task<(MessageError Error, UploadRefusal? Refusal, IReadOnlyList<AnonymisationFinding> Findings)> SendAsync(
        Application application, Guid authorUserId, bool fromAnsm, string? text, RequestAttachment? attachment)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (MessageError.TextRequired, null, []);
        }

        if (text.Trim().Length > MaxLength)
        {
            return (MessageError.TooLong, null, []);
        }

        if (application.Reference is null)
        {
            return (MessageError.NotFound, null, []);
        }

        var findings = Anonymisation.InTextAbout(application, text);
        if (findings.Count > 0)
        {
            return (MessageError.Identifying, null, findings);
        }

        Inspected? inspected = null;
        if (attachment is not null)
        {
            var patient = application.Kind == ApplicationKind.Individual
                ? new PatientInitials(application.Answers.Patient.LastNameInitial, application.Answers.Patient.FirstNameInitial) : null;
            var (refusal, checkedFile) = await documents.InspectAsync(attachment.FileName, attachment.Content,
                new UploadSubject(nameof(Application), application.Id.ToString(), authorUserId), patient);
            if (refusal is not null)
            {
                return (MessageError.AttachmentRejected, refusal, []);
            }

            inspected = checkedFile;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var message = new CaseMessage
        {
            Id = Guid.NewGuid(), ApplicationId = application.Id, AuthorUserId = authorUserId, FromAnsm = fromAnsm, Text = text.Trim(), SentAt = clock.GetUtcNow(),
            Attachment = attachment is null ? null : await documents.WriteAsync(application.Id, DocumentType.Other, attachment.FileName, attachment.Content, inspected!),
        };
        db.CaseMessages.Add(message);
        db.Record(clock, AuditActions.MessageSent, authorUserId, nameof(Application), application.Id.ToString(), fromAnsm ? "from ANSM" : "from the applicant");
        foreach (var recipient in await RecipientsAsync(application, fromAnsm))
        {
            // The e-mail says there is a message, never what it says: the thread is read on the portal, signed in.
            var link = links.Messages(application.Reference, forAnsm: !fromAnsm);
            db.Enqueue(clock, recipient, $"Demande {application.Reference} : nouveau message / new message",
                $"Bonjour,\n\n{(fromAnsm ? "L'ANSM vous a écrit" : "Le demandeur a écrit")} au sujet de la demande {application.Reference}. Lisez le message sur le portail :\n\n{link}\n\n" +
                $"Portail des dérogations au marquage CE\n\n---\n\nHello,\n\n{(fromAnsm ? "ANSM has written to you" : "The applicant has written")} about application {application.Reference}. " +
                $"Read the message on the portal:\n\n{link}\n\nCE-marking derogation portal",
                AuditActions.MessageSent, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (MessageError.None, null, []);
    }

    private async Task<IReadOnlyList<string>> RecipientsAsync(Application application, bool fromAnsm)
    {
        if (fromAnsm)
        {
            return await db.EmailsAsync(application.FilingOrganisationId, application.ManufacturerId);
        }

        var holder = await db.Users.Where(u => u.Id == application.AssignedReviewerId).Select(u => u.Email).SingleOrDefaultAsync();
        return holder is not null ? [holder] : string.IsNullOrWhiteSpace(alerts.TeamEmail) ? [] : [alerts.TeamEmail.Trim()];
    }
}
