using System.Text;
using Derogation.Core.Documents;
using Derogation.Tests.Applications;

namespace Derogation.Tests.Core;

/// <summary>The portal's own PDF checks, without the antivirus in front of them (whose heuristics catch some of these first).</summary>
public sealed class PdfInspectionTests
{
    private static PdfReport Inspect(byte[] bytes, bool text = false) => PdfInspection.Inspect(new MemoryStream(bytes), text);

    [Theory]
    [InlineData("/S /J#61vaScript /JS (x)", PdfProblem.ActiveContent)]
    [InlineData("/S /JavaScript /J#53 (x)", PdfProblem.ActiveContent)]
    [InlineData("/S /L#61unch /F (cmd.exe)", PdfProblem.ActiveContent)]
    [InlineData("/Names << /Embedded#46iles 2 0 R >>", PdfProblem.EmbeddedFiles)]
    public void NamesAreFound_EvenWrittenWithHashEscapes(string dictionary, PdfProblem expected) =>
        Assert.Equal(expected, Inspect(Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << {dictionary} >> >>\nendobj\n%%EOF\n")).Problem);

    [Fact]
    public void AWellFormedPdf_IsCountedAndRead_PageByPage()
    {
        var report = Inspect(WizardDocuments.Pdf("Première page", "Seconde page"), text: true);
        Assert.Equal(PdfProblem.None, report.Problem);
        Assert.Equal(2, report.PageCount);
        Assert.Contains("Première page", report.PageTexts![0], StringComparison.Ordinal);
        Assert.Contains("Seconde page", report.PageTexts[1], StringComparison.Ordinal);
    }

    [Fact]
    public void AnythingAfterTheLastEof_OrANameInsideStreamData_IsJudgedRight()
    {
        var pdf = WizardDocuments.Pdf("Notice");
        Assert.Equal(PdfProblem.Malformed, Inspect([.. pdf, .. "GIF89a"u8.ToArray()]).Problem);
        Assert.Equal(PdfProblem.None, Inspect([.. pdf, .. "\r\n"u8.ToArray()]).Problem);
        // Inside stream data, "/JavaScript" is just bytes (an image may contain anything): the 100 MB generated PDF's
        // filler is such data, and it passes.
        using var large = new MemoryStream();
        new Derogation.Tests.Infrastructure.GeneratedPdf(3 * 1024 * 1024).CopyTo(large);
        Assert.Equal(PdfProblem.None, PdfInspection.Inspect(large, extractText: false).Problem);
    }
}
