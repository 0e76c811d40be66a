using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Notifications;

/// <summary>
/// A message waiting to be sent (or sent). Written in the same transaction as the change it announces, so a
/// decision is never saved without its notifications, nor a notification sent for a change rolled back.
/// </summary>
public sealed class OutboxMessage
{
    public Guid Id { get; set; }
    public required string Recipient { get; set; }
    public required string Subject { get; set; }
    public required string Body { get; set; }
    /// <summary>The application it concerns, so the case file can list every message sent about it.</summary>
    public Guid? ApplicationId { get; set; }
    /// <summary>An issued document (a decision letter) sent as an attachment, read from storage when sending.</summary>
    public Guid? AttachmentDocumentId { get; set; }
    /// <summary>Why it is sent, in the domain's words (e.g. InformationRequested, DecisionLetterCopy), for the case file.</summary>
    public required string Purpose { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The kind of the last failure (an exception type, never its message: it could name the recipient).</summary>
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("outbox_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Recipient).HasMaxLength(320);
        builder.Property(m => m.Subject).HasMaxLength(300);
        builder.Property(m => m.Purpose).HasMaxLength(50);
        builder.Property(m => m.LastError).HasMaxLength(200);
        builder.HasIndex(m => m.ApplicationId);
        builder.HasIndex(m => m.NextAttemptAt).HasFilter("sent_at IS NULL");
        builder.HasIndex(m => m.CreatedAt);
    }
}

public static class Outbox
{
    /// <summary>Adds a message to the unit of work: it is saved with, and only with, the change it announces.</summary>
    public static void Enqueue(this DerogationDbContext db, TimeProvider clock, string recipient, string subject, string body, string purpose,
        Guid? applicationId = null, Guid? attachmentDocumentId = null)
    {
        var now = clock.GetUtcNow();
        db.OutboxMessages.Add(new OutboxMessage
        {
            Id = Guid.NewGuid(),
            Recipient = recipient,
            Subject = subject,
            Body = body,
            Purpose = purpose,
            ApplicationId = applicationId,
            AttachmentDocumentId = attachmentDocumentId,
            CreatedAt = now,
            NextAttemptAt = now,
        });
    }
}

/// <summary>
/// Sends what the outbox holds, each message once. Each message is claimed with FOR UPDATE SKIP LOCKED inside its
/// own transaction and marked sent before that transaction commits: several portal instances (or several
/// senders in one) never pick the same message, and a failure leaves it for a later attempt with a growing delay.
/// </summary>
public sealed class OutboxSender(DerogationDbContext db, IMailSender mail, TimeProvider clock)
{
    public const int MaxAttempts = 10;

    /// <summary>Sends due messages until none is left or <paramref name="limit"/> is reached; returns how many were sent.</summary>
    public Task<int> SendDueAsync(int limit = 50, CancellationToken cancellationToken = default) =>
        DueWork.DrainAsync(SendOneAsync, limit, cancellationToken);

    /// <summary>null when nothing is due; true when sent; false when the attempt failed and was rescheduled.</summary>
    private async Task<bool?> SendOneAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var message = await db.OutboxMessages
            .FromSql($"SELECT * FROM outbox_messages WHERE sent_at IS NULL AND attempts < {MaxAttempts} AND next_attempt_at <= {now} ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (message is null)
        {
            return null;
        }

        var attachments = new List<MailAttachment>();
        if (message.AttachmentDocumentId is { } documentId)
        {
            var document = await db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == documentId, cancellationToken);
            attachments.Add(new MailAttachment(document.FileName, "application/pdf", document.Content));
        }

        bool delivered;
        try
        {
            await mail.SendAsync(new MailMessageToSend(message.Recipient, message.Subject, message.Body, attachments), cancellationToken);
            message.SentAt = clock.GetUtcNow();
            message.LastError = null;
            delivered = true;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // 1, 2, 4 … minutes, at most an hour; the type only: the message could carry the address.
            message.Attempts++;
            message.NextAttemptAt = clock.GetUtcNow().AddMinutes(Math.Min(60, Math.Pow(2, message.Attempts - 1)));
            message.LastError = exception.GetType().Name;
            delivered = false;
        }

        if (delivered)
        {
            message.Attempts++;
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return delivered;
    }
}

/// <summary>Wakes the background sender as soon as a change with messages is committed, instead of waiting for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Wake()
    {
        if (signal.CurrentCount == 0)
        {
            try
            {
                signal.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already awake: nothing to do.
            }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => signal.WaitAsync(timeout, cancellationToken);
}

/// <summary>The loop of the outbox senders (e-mails, webhooks): one claimed item at a time until none is due.</summary>
internal static class DueWork
{
    /// <param name="sendOne">null when nothing is due; true when sent; false when the attempt failed and was rescheduled.</param>
    /// <returns>How many were sent.</returns>
    public static async Task<int> DrainAsync(Func<CancellationToken, Task<bool?>> sendOne, int limit, CancellationToken cancellationToken)
    {
        var sent = 0;
        for (var i = 0; i < limit; i++)
        {
            var outcome = await sendOne(cancellationToken);
            if (outcome is null)
            {
                break;
            }

            sent += outcome.Value ? 1 : 0;
        }

        return sent;
    }
}
