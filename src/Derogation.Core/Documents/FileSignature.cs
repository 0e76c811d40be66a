using System.IO.Compression;

namespace Derogation.Core.Documents;

public enum AcceptedFormat
{
    Pdf,
    Png,
    Jpeg,
    Docx,
    Xlsx,
    Odt,
}

/// <summary>
/// Recognises a file by its content, never by its name: PDF, PNG and JPEG by their signature; DOCX, XLSX and
/// ODT by what their zip container holds. Anything else (an executable renamed .pdf, a script, an archive) is
/// refused.
/// </summary>
public static class FileSignature
{
    public static readonly IReadOnlyDictionary<AcceptedFormat, string> ContentTypes = new Dictionary<AcceptedFormat, string>
    {
        [AcceptedFormat.Pdf] = "application/pdf",
        [AcceptedFormat.Png] = "image/png",
        [AcceptedFormat.Jpeg] = "image/jpeg",
        [AcceptedFormat.Docx] = "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        [AcceptedFormat.Xlsx] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        [AcceptedFormat.Odt] = "application/vnd.oasis.opendocument.text",
    };

    /// <summary>The format of a seekable stream's content, or null when it is not one the portal accepts.</summary>
    public static AcceptedFormat? Detect(Stream content)
    {
        Span<byte> head = stackalloc byte[8];
        content.Position = 0;
        var read = content.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        content.Position = 0;
        head = head[..read];
        if (head.StartsWith("%PDF-"u8))
        {
            return AcceptedFormat.Pdf;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return AcceptedFormat.Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return AcceptedFormat.Jpeg;
        }

        return head.StartsWith("PK\u0003\u0004"u8) ? DetectOfficeDocument(content) : null;
    }

    private static AcceptedFormat? DetectOfficeDocument(Stream content)
    {
        try
        {
            // Reads the zip's directory only, not the whole file.
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            if (names.Contains("[Content_Types].xml"))
            {
                if (names.Contains("word/document.xml"))
                {
                    return AcceptedFormat.Docx;
                }

                if (names.Contains("xl/workbook.xml"))
                {
                    return AcceptedFormat.Xlsx;
                }
            }

            if (zip.GetEntry("mimetype") is { } mimetype)
            {
                using var reader = new StreamReader(mimetype.Open());
                if (reader.ReadToEnd().Trim() == "application/vnd.oasis.opendocument.text")
                {
                    return AcceptedFormat.Odt;
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            content.Position = 0;
        }
    }
}
