using System.IO.Compression;
using System.Text;
using System.Xml;
using Derogation.Core.Applications;

namespace Derogation.Core.Documents;

/// <summary>Something in a document that concerns the patient: where (page, when the format has pages) and what.</summary>
public sealed record DocumentFinding(AnonymisationProblem Problem, string Found, int? Page);

/// <summary>
/// The anonymisation rules applied to what a document says (docs/domain.md §6, docs/architecture.md "Documents"): its text, page by page
/// for a PDF, whole for a DOCX or ODT. What identifies the patient refuses the file; precise dates are returned as
/// warnings the applicant acknowledges (a prescription is dated). A document without text (a scan, an image) cannot
/// be checked automatically: the caller marks it so and asks for a check by eye.
/// </summary>
public static class DocumentText
{
    /// <summary>The text of a DOCX or ODT document (its paragraphs, one per line), or null for another format.</summary>
    public static string? ReadOffice(Stream content, AcceptedFormat format)
    {
        var entry = format switch
        {
            AcceptedFormat.Docx => "word/document.xml",
            AcceptedFormat.Odt => "content.xml",
            _ => null,
        };
        if (entry is null)
        {
            return null;
        }

        content.Position = 0;
        try
        {
            using var zip = new ZipArchive(content, ZipArchiveMode.Read, leaveOpen: true);
            var part = zip.GetEntry(entry);
            if (part is null)
            {
                return "";
            }

            // The XML is read as it is decompressed; no DTD, no external entity.
            using var reader = XmlReader.Create(part.Open(), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
            var text = new StringBuilder();
            while (reader.Read())
            {
                if (reader.NodeType is XmlNodeType.Text or XmlNodeType.SignificantWhitespace)
                {
                    text.Append(reader.Value);
                }
                else if (reader.NodeType == XmlNodeType.EndElement && reader.LocalName is "p" or "h")
                {
                    text.Append('\n');
                }
                else if (reader.NodeType == XmlNodeType.Element && reader.LocalName is "tab" or "s" or "br")
                {
                    text.Append(' ');
                }
            }

            return text.ToString();
        }
        catch (Exception exception) when (exception is InvalidDataException or XmlException)
        {
            return "";
        }
        finally
        {
            content.Position = 0;
        }
    }

    /// <summary>Findings in pages of text (page numbers from 1); for a text without pages, <paramref name="paged"/> is false.</summary>
    public static IReadOnlyList<DocumentFinding> Check(IReadOnlyList<string> pages, PatientInitials initials, bool paged)
    {
        var findings = new List<DocumentFinding>();
        for (var i = 0; i < pages.Count; i++)
        {
            foreach (var finding in Anonymisation.InPatientText(pages[i], initials))
            {
                // Letterheads carry an establishment's telephone and address: in a document they are not the patient's.
                if (finding.Problem is AnonymisationProblem.PhoneNumber or AnonymisationProblem.PostalAddress)
                {
                    continue;
                }

                findings.Add(new DocumentFinding(finding.Problem, finding.Found, paged ? i + 1 : null));
            }
        }

        return findings;
    }
}
