using System.IO.Compression;
using System.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Tokens;

namespace Derogation.Core.Documents;

public enum PdfProblem
{
    None,
    /// <summary>Encrypted (even with an empty password): it cannot be scanned or read.</summary>
    Encrypted,
    /// <summary>JavaScript or a launch action: it would run something when opened.</summary>
    ActiveContent,
    /// <summary>Files embedded in the PDF (attachments), which no check would see.</summary>
    EmbeddedFiles,
    /// <summary>Not one well-formed PDF: unreadable, or another file (ZIP, HTML) mixed in — a polyglot.</summary>
    Malformed,
}

/// <summary>What reading a PDF found: a problem, its page count, and each page's text when asked for.</summary>
public sealed record PdfReport(PdfProblem Problem, int PageCount, IReadOnlyList<string>? PageTexts);

/// <summary>
/// Checks that an uploaded PDF is one well-formed, passive PDF. A pass over the raw bytes (one buffer, whatever
/// the size) finds what must not be there outside stream data — the names /JavaScript, /JS, /Launch,
/// /EmbeddedFile(s) (#-escapes decoded), HTML tags, a ZIP header, anything after the last %%EOF, a ZIP directory
/// at the end — then PdfPig parses the file strictly (lenient parsing off): an encrypted or unreadable file is
/// refused, objects packed in compressed object streams are searched for the same names, and pages are counted
/// and, when asked, their text extracted for the anonymisation rules.
/// </summary>
public static class PdfInspection
{
    private static readonly HashSet<string> ActiveNames = new(StringComparer.Ordinal) { "JavaScript", "JS", "Launch" };
    private static readonly HashSet<string> EmbeddedNames = new(StringComparer.Ordinal) { "EmbeddedFile", "EmbeddedFiles", "FileAttachment" };
    private static readonly string[] HtmlMarkers = ["<html", "<script", "<body", "<!doctype", "<iframe", "<svg", "<object", "<embed", "<head"];

    public static PdfReport Inspect(Stream content, bool extractText)
    {
        var raw = ScanRaw(content);
        if (raw != PdfProblem.None)
        {
            return new PdfReport(raw, 0, null);
        }

        content.Position = 0;
        try
        {
            using var document = PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = false, SkipMissingFonts = true });
            if (document.IsEncrypted)
            {
                return new PdfReport(PdfProblem.Encrypted, 0, null);
            }

            var packed = InCompressedObjects(document);
            if (packed != PdfProblem.None)
            {
                return new PdfReport(packed, 0, null);
            }

            var pages = document.NumberOfPages;
            if (pages == 0)
            {
                return new PdfReport(PdfProblem.Malformed, 0, null);
            }

            return new PdfReport(PdfProblem.None, pages, extractText ? Texts(document) : null);
        }
        catch (PdfDocumentEncryptedException)
        {
            return new PdfReport(PdfProblem.Encrypted, 0, null);
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            // PdfPig throws its own exception types (and others) on a file it cannot read strictly: not one well-formed PDF.
            return new PdfReport(PdfProblem.Malformed, 0, null);
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>Each page's text; a page whose text cannot be read counts as having none (a scanned image, say).</summary>
    private static List<string> Texts(PdfDocument document)
    {
        var texts = new List<string>(document.NumberOfPages);
        for (var number = 1; number <= document.NumberOfPages; number++)
        {
            try
            {
                var page = document.GetPage(number);
                // Words joined by spaces: Page.Text runs letters together where the PDF positions words without spaces.
                texts.Add(string.Join(" ", page.GetWords().Select(w => w.Text)));
            }
            catch (Exception exception) when (exception is not OutOfMemoryException)
            {
                texts.Add("");
            }
        }

        return texts;
    }

    private static PdfProblem InCompressedObjects(PdfDocument document)
    {
        // Objects outside object streams were read by the raw pass; those packed in compressed object streams are
        // located in a stream by PdfPig's cross-reference table.
        foreach (var (reference, location) in document.Structure.CrossReferenceTable.ObjectOffsets)
        {
            if (location.Type != UglyToad.PdfPig.Core.XrefEntryType.ObjectStream)
            {
                continue;
            }

            var problem = Visit(document.Structure.GetObject(reference).Data, 0);
            if (problem != PdfProblem.None)
            {
                return problem;
            }
        }

        return PdfProblem.None;
    }

    private static PdfProblem Visit(IToken token, int depth)
    {
        if (depth > 32)
        {
            return PdfProblem.None;
        }

        switch (token)
        {
            case NameToken name:
                return Classify(name.Data);
            case DictionaryToken dictionary:
                foreach (var (key, value) in dictionary.Data)
                {
                    var problem = Classify(key);
                    problem = problem != PdfProblem.None ? problem : Visit(value, depth + 1);
                    if (problem != PdfProblem.None)
                    {
                        return problem;
                    }
                }

                return PdfProblem.None;
            case ArrayToken array:
                foreach (var item in array.Data)
                {
                    var problem = Visit(item, depth + 1);
                    if (problem != PdfProblem.None)
                    {
                        return problem;
                    }
                }

                return PdfProblem.None;
            case StreamToken stream:
                return Visit(stream.StreamDictionary, depth + 1);
            default:
                return PdfProblem.None;
        }
    }

    private static PdfProblem Classify(string name) =>
        ActiveNames.Contains(name) ? PdfProblem.ActiveContent
        : EmbeddedNames.Contains(name) ? PdfProblem.EmbeddedFiles
        : PdfProblem.None;

    /// <summary>
    /// One pass over the bytes with a small state machine, one 64 KB buffer at a time. Stream data (images, fonts,
    /// page contents) is skipped with a vectorised search for "endstream"; only the PDF's own syntax is examined.
    /// </summary>
    private static PdfProblem ScanRaw(Stream content)
    {
        content.Position = 0;
        var length = content.Length;
        var buffer = new byte[1 << 16];
        var window = new char[16];
        var inStream = false;
        var afterStreamKeyword = false;
        long lastEofEnd = -1;
        var name = new StringBuilder();
        var inName = false;
        long blockStart = 0;
        int read;
        while ((read = content.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (inStream)
                {
                    // "endstream" split across two buffers: its start is in the window, its end at the buffer's start.
                    var split = SplitEndstream(window, buffer.AsSpan(0, Math.Min(read, 9)), i);
                    var found = split >= 0 ? split : buffer.AsSpan(i, read - i).IndexOf("endstream"u8);
                    if (found < 0)
                    {
                        foreach (var b in buffer.AsSpan(Math.Max(i, read - 8), read - Math.Max(i, read - 8)))
                        {
                            Shift(window, (char)b);
                        }

                        break;
                    }

                    i = split >= 0 ? split : i + found + "endstream".Length - 1;
                    inStream = false;
                    Array.Fill(window, ' ');
                    continue;
                }

                var c = buffer[i];
                Shift(window, (char)c);
                if (afterStreamKeyword)
                {
                    afterStreamKeyword = false;
                    if (c is (byte)'\r' or (byte)'\n')
                    {
                        inStream = true;
                        continue;
                    }
                }

                if (inName)
                {
                    if (IsRegular(c))
                    {
                        name.Append((char)c);
                        continue;
                    }

                    inName = false;
                    var problem = Classify(DecodeName(name.ToString()));
                    if (problem != PdfProblem.None)
                    {
                        return problem;
                    }
                }

                switch (c)
                {
                    case (byte)'/':
                        inName = true;
                        name.Clear();
                        break;
                    case (byte)'m' when EndsWith(window, "stream") && !EndsWith(window, "endstream"):
                        afterStreamKeyword = true;
                        break;
                    case (byte)'F' when EndsWith(window, "%%EOF"):
                        lastEofEnd = blockStart + i + 1;
                        break;
                    case 0x04 when EndsWith(window, "PK\u0003\u0004"):
                        // A ZIP entry outside any stream: a PDF+ZIP polyglot.
                        return PdfProblem.Malformed;
                    default:
                        if (c is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' && HtmlMarkers.Any(marker => EndsWithIgnoreCase(window, marker)))
                        {
                            return PdfProblem.Malformed;
                        }

                        break;
                }
            }

            blockStart += read;
        }

        if (lastEofEnd < 0)
        {
            return PdfProblem.Malformed;
        }

        // After the last %%EOF, only line ends: anything else is another file appended to this one.
        var tail = new byte[Math.Min(length - lastEofEnd, 1024)];
        content.Position = lastEofEnd;
        var tailRead = content.ReadAtLeast(tail, tail.Length, throwOnEndOfStream: false);
        if (length - lastEofEnd > 1024 || tail.AsSpan(0, tailRead).IndexOfAnyExcept("\r\n \0"u8) >= 0)
        {
            return PdfProblem.Malformed;
        }

        // A ZIP reader looks for its end-of-central-directory record in the last 64 KB: none may be there.
        var end = new byte[Math.Min(length, 65_557)];
        content.Position = length - end.Length;
        var endRead = content.ReadAtLeast(end, end.Length, throwOnEndOfStream: false);
        return end.AsSpan(0, endRead).IndexOf("PK\u0005\u0006"u8) >= 0 ? PdfProblem.Malformed : PdfProblem.None;
    }

    /// <summary>At a buffer's start (<paramref name="at"/> = 0) only: where "endstream" ends when it began in the previous buffer, else -1.</summary>
    private static int SplitEndstream(char[] window, ReadOnlySpan<byte> head, int at)
    {
        if (at != 0)
        {
            return -1;
        }

        for (var before = 1; before < 9; before++)
        {
            var after = 9 - before;
            if (after <= head.Length && EndsWith(window, "endstream"[..before]) && Encoding.ASCII.GetString(head[..after]) == "endstream"[before..])
            {
                return after - 1;
            }
        }

        return -1;
    }

    /// <summary>PDF names may escape any character as #xx (/J#61vaScript is /JavaScript).</summary>
    private static string DecodeName(string name)
    {
        if (!name.Contains('#', StringComparison.Ordinal))
        {
            return name;
        }

        var decoded = new StringBuilder(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '#' && i + 2 < name.Length && Uri.IsHexDigit(name[i + 1]) && Uri.IsHexDigit(name[i + 2]))
            {
                decoded.Append((char)Convert.ToByte(name.Substring(i + 1, 2), 16));
                i += 2;
            }
            else
            {
                decoded.Append(name[i]);
            }
        }

        return decoded.ToString();
    }

    private static bool IsRegular(byte b) =>
        b > 32 && b < 127 && b is not ((byte)'/' or (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'%');

    private static void Shift(char[] window, char c)
    {
        Array.Copy(window, 1, window, 0, window.Length - 1);
        window[^1] = c;
    }

    private static bool EndsWith(char[] window, string text) => window.AsSpan(window.Length - text.Length).SequenceEqual(text);

    private static bool EndsWithIgnoreCase(char[] window, string text) =>
        window.AsSpan(window.Length - text.Length).Equals(text, StringComparison.OrdinalIgnoreCase);
}
