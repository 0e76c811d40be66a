using System.Net.Mail;

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

/// <summary>SMTP in production; a pickup directory of .eml files in development and tests.</summary>
public sealed class SmtpMailSender(MailOptions options) : IMailSender
{
    public async Task SendAsync(MailMessageToSend message, CancellationToken cancellationToken = default)
    {
        using var mail = new MailMessage(options.From, message.To, message.Subject, message.Body)
        {
            BodyEncoding = System.Text.Encoding.UTF8,
            SubjectEncoding = System.Text.Encoding.UTF8,
        };
        foreach (var attachment in message.Attachments ?? [])
        {
            mail.Attachments.Add(new Attachment(new MemoryStream(attachment.Content), attachment.FileName, attachment.ContentType));
        }

        using var client = new SmtpClient();
        if (!string.IsNullOrEmpty(options.PickupDirectory))
        {
            // Written aside, then moved in whole: whoever reads the folder (a developer, a test) never sees half a message.
            var pickup = Path.GetFullPath(options.PickupDirectory);
            var writing = Path.Combine(pickup, $".writing-{Guid.NewGuid():N}");
            Directory.CreateDirectory(writing);
            try
            {
                client.DeliveryMethod = SmtpDeliveryMethod.SpecifiedPickupDirectory;
                client.PickupDirectoryLocation = writing;
                await client.SendMailAsync(mail, cancellationToken);
                foreach (var file in Directory.GetFiles(writing))
                {
                    File.Move(file, Path.Combine(pickup, Path.GetFileName(file)));
                }
            }
            finally
            {
                Directory.Delete(writing, recursive: true);
            }

            return;
        }
        else
        {
            client.Host = options.SmtpHost ?? throw new InvalidOperationException("Mail: set Mail:SmtpHost or Mail:PickupDirectory.");
            client.Port = options.SmtpPort;
            client.EnableSsl = options.SmtpUseTls;
            if (!string.IsNullOrEmpty(options.SmtpUser))
            {
                client.Credentials = new System.Net.NetworkCredential(options.SmtpUser, options.SmtpPassword);
            }
        }

        await client.SendMailAsync(mail, cancellationToken);
    }
}
