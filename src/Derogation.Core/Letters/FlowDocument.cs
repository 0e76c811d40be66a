using PdfSharp.Drawing;
using PdfSharp.Pdf;

namespace Derogation.Core.Letters;

/// <summary>
/// A small flowing layout on A4 for the portal's documents (receipts, letters): headings, paragraphs that wrap
/// and run onto new pages without cutting a line, label/value rows, and "page x / y" on every page once the
/// page count is known. Text stays text: selectable and extractable.
/// </summary>
public sealed class FlowDocument : IDisposable
{
    private const double Margin = 56; // ~2 cm
    private const double FooterHeight = 36;
    private readonly PdfDocument _document = new();
    private XGraphics? _graphics;
    private double _y;

    public FlowDocument(string title)
    {
        PdfFonts.Install();
        _document.Info.Title = title;
        _document.Info.Creator = "Portail des dérogations — ANSM";
        NewPage();
    }

    private static double Width => XUnit.FromMillimeter(210).Point;

    private static double Height => XUnit.FromMillimeter(297).Point;

    private static double Bottom => Height - Margin - FooterHeight;

    private static double TextWidth => Width - (2 * Margin);

    public FlowDocument Heading(string text, double size = 14)
    {
        Space(size * 0.6);
        return Paragraph(text, 0, new XFont(PdfFonts.Family, size, XFontStyleEx.Bold));
    }

    /// <param name="indent">Points from the left margin (the addressee and signature blocks sit on the right half).</param>
    public FlowDocument Paragraph(string text, double size = 10, bool bold = false, bool italic = false, double indent = 0) =>
        Paragraph(text, indent, new XFont(PdfFonts.Family, size, (bold, italic) switch
        {
            (true, true) => XFontStyleEx.BoldItalic,
            (true, false) => XFontStyleEx.Bold,
            (false, true) => XFontStyleEx.Italic,
            _ => XFontStyleEx.Regular,
        }));

    /// <summary>A label in bold and its value wrapped beside it (values may be long: reasons, hashes, lists).</summary>
    public FlowDocument Field(string label, string value, double size = 10)
    {
        var labelFont = new XFont(PdfFonts.Family, size, XFontStyleEx.Bold);
        var valueFont = new XFont(PdfFonts.Family, size, XFontStyleEx.Regular);
        const double labelWidth = 150;
        // Both columns wrap: a long label must never run under its value.
        var labels = Wrap(label, labelFont, labelWidth - 8);
        var values = Wrap(value, valueFont, TextWidth - labelWidth);
        var lineHeight = size * 1.35;
        for (var i = 0; i < Math.Max(labels.Count, values.Count); i++)
        {
            EnsureRoom(lineHeight);
            if (i < labels.Count)
            {
                _graphics!.DrawString(labels[i], labelFont, XBrushes.Black, new XRect(Margin, _y, labelWidth - 8, lineHeight), XStringFormats.TopLeft);
            }

            if (i < values.Count)
            {
                _graphics!.DrawString(values[i], valueFont, XBrushes.Black, new XRect(Margin + labelWidth, _y, TextWidth - labelWidth, lineHeight), XStringFormats.TopLeft);
            }

            _y += lineHeight;
        }

        return this;
    }

    public FlowDocument Space(double points = 8)
    {
        _y += points;
        return this;
    }

    public FlowDocument Rule()
    {
        EnsureRoom(8);
        _graphics!.DrawLine(new XPen(XColors.Gray, 0.5), Margin, _y + 3, Width - Margin, _y + 3);
        _y += 8;
        return this;
    }

    /// <summary>Draws "page x / y" and the footer on every page, and returns the PDF's bytes.</summary>
    public byte[] Finish(string footer)
    {
        _graphics?.Dispose();
        _graphics = null;
        var font = new XFont(PdfFonts.Family, 8, XFontStyleEx.Regular);
        for (var i = 0; i < _document.PageCount; i++)
        {
            using var graphics = XGraphics.FromPdfPage(_document.Pages[i], XGraphicsPdfPageOptions.Append);
            var top = Height - Margin - 14;
            graphics.DrawString(footer, font, XBrushes.DimGray, new XRect(Margin, top, TextWidth - 70, 14), XStringFormats.TopLeft);
            graphics.DrawString($"page {i + 1} / {_document.PageCount}", font, XBrushes.DimGray, new XRect(Margin, top, TextWidth, 14), XStringFormats.TopRight);
        }

        using var output = new MemoryStream();
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose()
    {
        _graphics?.Dispose();
        _document.Dispose();
    }

    private FlowDocument Paragraph(string text, double indent, XFont font)
    {
        var lineHeight = font.Size * 1.35;
        foreach (var line in text.Split('\n').SelectMany(part => Wrap(part, font, TextWidth - indent)))
        {
            EnsureRoom(lineHeight);
            _graphics!.DrawString(line, font, XBrushes.Black, new XRect(Margin + indent, _y, TextWidth - indent, lineHeight), XStringFormats.TopLeft);
            _y += lineHeight;
        }

        _y += font.Size * 0.4;
        return this;
    }

    private void EnsureRoom(double height)
    {
        if (_y + height > Bottom)
        {
            NewPage();
        }
    }

    private void NewPage()
    {
        _graphics?.Dispose();
        var page = _document.AddPage();
        page.Width = XUnit.FromPoint(Width);
        page.Height = XUnit.FromPoint(Height);
        _graphics = XGraphics.FromPdfPage(page);
        _y = Margin;
    }

    /// <summary>Greedy word wrap; a word longer than the line (a hash, a URL) is broken where it must be.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = current.Length == 0 ? word : current + " " + word;
            if (_graphics!.MeasureString(candidate, font).Width <= width)
            {
                current = candidate;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            while (_graphics.MeasureString(current, font).Width > width)
            {
                var fit = current.Length - 1;
                while (fit > 1 && _graphics.MeasureString(current[..fit], font).Width > width)
                {
                    fit--;
                }

                lines.Add(current[..fit]);
                current = current[fit..];
            }
        }

        lines.Add(current);
        return lines;
    }
}
