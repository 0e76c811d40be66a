using System.Text.RegularExpressions;
using MimeKit;

namespace Derogation.Tests.Infrastructure;

/// <summary>An .eml file from the pickup folder, read with MimeKit: recipient, subject, text body and attachments.</summary>
public sealed record SentMail(string To, string Subject, string Body, IReadOnlyList<(string FileName, byte[] Content)> Attachments)
{
    public static SentMail Read(string path)
    {
        using var message = MimeMessage.Load(path);
        var attachments = message.Attachments.OfType<MimePart>().Select(part =>
        {
            using var content = new MemoryStream();
            part.Content?.DecodeTo(content);
            return (part.FileName ?? "", content.ToArray());
        }).ToList();
        return new SentMail(string.Join(", ", message.To.Mailboxes.Select(m => m.Address)), message.Subject ?? "", message.TextBody ?? "", attachments);
    }

    /// <summary>The first absolute link in the body that contains <paramref name="path"/>.</summary>
    public Uri Link(string path) => new(Regex.Matches(Body, @"https?://\S+").Select(m => m.Value).First(v => v.Contains(path, StringComparison.Ordinal)));
}
