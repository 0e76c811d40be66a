namespace Derogation.Core.Notifications;

public sealed record MailAttachment(string FileName, string ContentType, byte[] Content);

public sealed record MailMessageToSend(string To, string Subject, string Body, IReadOnlyList<MailAttachment>? Attachments = null);

public interface IMailSender
{
    Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken = default);
}

public sealed class MailOptions
{
    public string From { get; set; } = "ne-pas-repondre@derogations.ansm.sante.fr";
    /// <summary>When set, messages are written there as .eml files instead of being sent (development, tests).</summary>
    public string? PickupDirectory { get; set; }
    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public bool SmtpUseTls { get; set; } = true;
    public string? SmtpUser { get; set; }
    public string? SmtpPassword { get; set; }
    /// <summary>How often the outbox is read even when nothing woke it (retries, other instances' messages).</summary>
    public int OutboxPollSeconds { get; set; } = 10;
}

/// <summary>
/// SMTP in production (MailKit: STARTTLS on 587, TLS from the start on 465, refused rather than sent in clear when
/// TLS is asked for); a pickup directory of .eml files in development and tests. Messages are built by MimeKit.
/// </summary>
public sealed class SmtpMailSender(MailOptions options) : IMailSender
{
    public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken = default)
    {
        using var mime = Build(message);
        if (!string.IsNullOrEmpty(options.PickupDirectory))
        {
            // Written aside, then moved in whole: whoever reads the folder (a developer, a test) never sees half a message.
            var pickup = Path.GetFullPath(options.PickupDirectory);
            Directory.CreateDirectory(pickup);
            var name = $"{Guid.NewGuid():N}.eml";
            var writing = Path.Combine(pickup, $".{name}.writing");
            await mime.WriteToAsync(writing, cancellationToken);
            File.Move(writing, Path.Combine(pickup, name));
            return;
        }

        using var client = new MailKit.Net.Smtp.SmtpClient();
        var security = !options.SmtpUseTls ? MailKit.Security.SecureSocketOptions.None
            : options.SmtpPort == 465 ? MailKit.Security.SecureSocketOptions.SslOnConnect
            : MailKit.Security.SecureSocketOptions.StartTls;
        await client.ConnectAsync(options.SmtpHost ?? throw new InvalidOperationException("Mail: set Mail:SmtpHost or Mail:PickupDirectory."),
            options.SmtpPort, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.SmtpUser))
        {
            await client.AuthenticateAsync(options.SmtpUser, options.SmtpPassword ?? "", cancellationToken);
        }

        await client.SendAsync(mime, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }

    /// <summary>The message as sent: UTF-8 text, the attachments with their names and types.</summary>
    public MimeKit.MimeMessage Build(MailMessageToSend message)
    {
        var mime = new MimeKit.MimeMessage();
        mime.From.Add(MimeKit.MailboxAddress.Parse(options.From));
        mime.To.Add(MimeKit.MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        var body = new MimeKit.BodyBuilder { TextBody = message.Body };
        foreach (var attachment in message.Attachments ?? [])
        {
            body.Attachments.Add(attachment.FileName, attachment.Content, MimeKit.ContentType.Parse(attachment.ContentType));
        }

        mime.Body = body.ToMessageBody();
        return mime;
    }
}
