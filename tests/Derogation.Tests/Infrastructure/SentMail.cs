using System.Text;
using System.Text.RegularExpressions;

namespace Derogation.Tests.Infrastructure;

/// <summary>An .eml file from the pickup folder: recipient, subject, decoded text body and attachments.</summary>
public sealed partial record SentMail(string To, string Subject, string Body, IReadOnlyList<(string FileName, byte[] Content)> Attachments)
{
    public static SentMail Read(string path)
    {
        var raw = File.ReadAllText(path);
        var split = raw.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = raw[..split];
        var body = raw[(split + 4)..];
        var attachments = new List<(string, byte[])>();
        var boundary = Regex.Match(Header(headers, "Content-Type") ?? "", @"boundary=""?([^"";]+)""?");
        if (boundary.Success)
        {
            // multipart/mixed: the first part is the text, the others the attachments.
            var parts = body.Split("--" + boundary.Groups[1].Value).Skip(1).Where(p => !p.StartsWith("--", StringComparison.Ordinal)).ToList();
            var text = parts[0].TrimStart('\r', '\n');
            var textSplit = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            body = Decode(Header(text[..textSplit], "Content-Transfer-Encoding"), text[(textSplit + 4)..]);
            foreach (var part in parts.Skip(1).Select(p => p.TrimStart('\r', '\n')))
            {
                var partSplit = part.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                var partHeaders = part[..partSplit];
                var name = Regex.Match(partHeaders, @"name=""?([^"";\r\n]+)""?").Groups[1].Value;
                attachments.Add((DecodeWords(name), Convert.FromBase64String(Regex.Replace(part[(partSplit + 4)..], @"\s", ""))));
            }
        }
        else
        {
            body = Decode(Header(headers, "Content-Transfer-Encoding"), body);
        }

        return new SentMail(Header(headers, "To") ?? "", DecodeWords(Header(headers, "Subject") ?? ""), body, attachments);
    }

    private static string Decode(string? transferEncoding, string body) => transferEncoding?.ToLowerInvariant() switch
    {
        "base64" => Encoding.UTF8.GetString(Convert.FromBase64String(Regex.Replace(body, @"\s", ""))),
        "quoted-printable" => QuotedPrintable(body),
        _ => body,
    };

    /// <summary>The first absolute link in the body that contains <paramref name="path"/>.</summary>
    public Uri Link(string path) => new(Regex.Matches(Body, @"https?://\S+").Select(m => m.Value).First(v => v.Contains(path, StringComparison.Ordinal)));

    private static string? Header(string headers, string name)
    {
        // Unfold continuation lines, then find the header.
        var unfolded = Regex.Replace(headers, @"\r\n[ \t]+", " ");
        var match = Regex.Match(unfolded, $@"^{name}:\s*(.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase);
        return match.Success ? match.Groups[1].Value.Trim() : null;
    }

    private static string DecodeWords(string value) => EncodedWord().Replace(value, m =>
    {
        var bytes = m.Groups[2].Value.Equals("B", StringComparison.OrdinalIgnoreCase)
            ? Convert.FromBase64String(m.Groups[3].Value)
            : Encoding.Latin1.GetBytes(QuotedPrintable(m.Groups[3].Value.Replace('_', ' ')));
        return Encoding.UTF8.GetString(bytes);
    }).Replace("?= =?", "", StringComparison.Ordinal);

    private static string QuotedPrintable(string text)
    {
        var bytes = new List<byte>();
        var unwrapped = text.Replace("=\r\n", "", StringComparison.Ordinal);
        for (var i = 0; i < unwrapped.Length; i++)
        {
            if (unwrapped[i] == '=' && i + 2 < unwrapped.Length)
            {
                bytes.Add(Convert.ToByte(unwrapped.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                bytes.AddRange(Encoding.UTF8.GetBytes(unwrapped[i].ToString()));
            }
        }

        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    [GeneratedRegex(@"=\?([^?]+)\?([BbQq])\?([^?]*)\?=")]
    private static partial Regex EncodedWord();
}
