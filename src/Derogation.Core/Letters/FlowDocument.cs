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
    // Layout first, drawing last: lines are measured with a measuring context and kept per page, then each page
    // is drawn once, page numbers included, when the page count is known — one content stream per page.
    private readonly XGraphics _measure = XGraphics.CreateMeasureContext(new XSize(Width, Height), XGraphicsUnit.Point, XPageDirection.Downwards);
    private readonly List<List<Action<XGraphics>>> _pages = [];
    private List<Action<XGraphics>> _page = null!;
    private double _y;

    public FlowDocument(string title)
    {
        PdfFonts.Install();
        _document.Info.Title = title;
        _document.Info.Creator = "Portail des dérogations — ANSM";
        // Measured (docs/performance.md): at PDFsharp's default level, compressing the embedded font subsets was half of
        // a letter's rendering time; the fastest level costs a few kilobytes per letter.
        _document.Options.FlateEncodeMode = PdfFlateEncodeMode.BestSpeed;
        NewPage();
    }

    private static double Width => XUnit.FromMillimeter(210).Point;

    private static double Height => XUnit.FromMillimeter(297).Point;

    private static double Bottom => Height - Margin - FooterHeight;

    private static double TextWidth => Width - (2 * Margin);

    public FlowDocument Heading(string text, double size = 14)
    {
        Space(size * 0.6);
        return Paragraph(text, 0, Font(size, XFontStyleEx.Bold));
    }

    /// <param name="indent">Points from the left margin (the addressee and signature blocks sit on the right half).</param>
    public FlowDocument Paragraph(string text, double size = 10, bool bold = false, bool italic = false, double indent = 0) =>
        Paragraph(text, indent, Font(size, (bold, italic) switch
        {
            (true, true) => XFontStyleEx.BoldItalic,
            (true, false) => XFontStyleEx.Bold,
            (false, true) => XFontStyleEx.Italic,
            _ => XFontStyleEx.Regular,
        }));

    /// <summary>A label in bold and its value wrapped beside it (values may be long: reasons, hashes, lists).</summary>
    public FlowDocument Field(string label, string value, double size = 10)
    {
        var labelFont = Font(size, XFontStyleEx.Bold);
        var valueFont = Font(size, XFontStyleEx.Regular);
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
                Draw(labels[i], labelFont, new XRect(Margin, _y, labelWidth - 8, lineHeight));
            }

            if (i < values.Count)
            {
                Draw(values[i], valueFont, new XRect(Margin + labelWidth, _y, TextWidth - labelWidth, lineHeight));
            }

            _y += lineHeight;
        }

        return this;
    }

    /// <summary>Starts a new page unless <paramref name="points"/> still fit on this one: a block (the signature) is never split.</summary>
    public FlowDocument KeepTogether(double points)
    {
        EnsureRoom(points);
        return this;
    }

    /// <summary>
    /// Lays <paramref name="block"/> out on one page: had it run over a page break, it is laid out again from the top of
    /// a new page — an article's heading stays with its text, the signature, the copies and the verification code
    /// stay together, and a last line never stands alone on a page of its own. A block longer than a page flows.
    /// </summary>
    public FlowDocument Keep(Action<FlowDocument> block)
    {
        var (pages, drawn, y) = (_pages.Count, _page.Count, _y);
        block(this);
        if (_pages.Count == pages || y <= Margin)
        {
            return this;
        }

        _pages.RemoveRange(pages, _pages.Count - pages);
        _page = _pages[^1];
        _page.RemoveRange(drawn, _page.Count - drawn);
        NewPage();
        block(this);
        return this;
    }

    /// <summary>
    /// A QR code drawn as vector squares (sharp at any zoom, nothing to decode), <paramref name="size"/> points wide,
    /// at <paramref name="indent"/> from the left margin, with its quiet zone.
    /// </summary>
    public FlowDocument QrCode(bool[,] modules, double size, double indent = 0)
    {
        EnsureRoom(size + 4);
        var count = modules.GetLength(0);
        var module = size / count;
        var (left, top) = (Margin + indent, _y);
        // One rectangle per run of dark modules along a row, all filled in one operation: drawing some 600 squares one
        // by one was a fifth of a letter's rendering time (docs/performance.md). A hair wider and taller than the
        // modules, so that neighbours join without a seam.
        var runs = new List<XRect>();
        for (var row = 0; row < count; row++)
        {
            for (var column = 0; column < count; column++)
            {
                if (!modules[row, column])
                {
                    continue;
                }

                var start = column;
                while (column + 1 < count && modules[row, column + 1])
                {
                    column++;
                }

                runs.Add(new XRect(left + (start * module), top + (row * module), ((column - start + 1) * module) + 0.05, module + 0.05));
            }
        }

        var rectangles = runs.ToArray();
        _page.Add(graphics => graphics.DrawRectangles(XBrushes.Black, rectangles));
        _y += size + 4;
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
        var y = _y + 3;
        _page.Add(graphics => graphics.DrawLine(RulePen, Margin, y, Width - Margin, y));
        _y += 8;
        return this;
    }

    /// <summary>Draws "page x / y" and the footer on every page, and returns the PDF's bytes.</summary>
    public byte[] Finish(string footer)
    {
        var font = Font(8, XFontStyleEx.Regular);
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = _document.AddPage();
            page.Width = XUnit.FromPoint(Width);
            page.Height = XUnit.FromPoint(Height);
            using var graphics = XGraphics.FromPdfPage(page);
            foreach (var draw in _pages[i])
            {
                draw(graphics);
            }

            var top = Height - Margin - 14;
            graphics.DrawString(footer, font, XBrushes.DimGray, new XRect(Margin, top, TextWidth - 70, 14), XStringFormats.TopLeft);
            graphics.DrawString($"page {i + 1} / {_pages.Count}", font, XBrushes.DimGray, new XRect(Margin, top, TextWidth, 14), XStringFormats.TopRight);
        }

        using var output = new MemoryStream(64 * 1024);
        _document.Save(output, closeStream: false);
        return output.ToArray();
    }

    public void Dispose()
    {
        _measure.Dispose();
        _document.Dispose();
    }

    private FlowDocument Paragraph(string text, double indent, XFont font)
    {
        var lineHeight = font.Size * 1.35;
        foreach (var line in text.Split('\n').SelectMany(part => Wrap(part, font, TextWidth - indent)))
        {
            EnsureRoom(lineHeight);
            Draw(line, font, new XRect(Margin + indent, _y, TextWidth - indent, lineHeight));
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
        _page = [];
        _pages.Add(_page);
        _y = Margin;
    }

    private static readonly XPen RulePen = new(XColors.Gray, 0.5);

    private void Draw(string text, XFont font, XRect box) =>
        _page.Add(graphics => graphics.DrawString(text, font, XBrushes.Black, box, XStringFormats.TopLeft));

    /// <summary>Fonts are built once per size and style for the whole process: building one costs more than drawing a line.</summary>
    private static XFont Font(double size, XFontStyleEx style) =>
        Fonts.GetOrAdd((size, style), key => new XFont(PdfFonts.Family, key.Size, key.Style));

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(double Size, XFontStyleEx Style), XFont> Fonts = new();

    /// <summary>Word widths for the process: the same words recur from letter to letter. Bounded, for a long-running server.</summary>
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(XFont Font, string Text), double> Widths = new();

    private const int MaxRememberedWidths = 100_000;

    /// <summary>
    /// A text's width, remembered: the wrap measures each word once and adds them up (PDFsharp lays glyphs out
    /// without kerning, so widths add exactly) instead of measuring every growing candidate line.
    /// </summary>
    private double Measure(string text, XFont font)
    {
        if (!Widths.TryGetValue((font, text), out var width))
        {
            width = _measure.MeasureString(text, font).Width;
            if (Widths.Count < MaxRememberedWidths)
            {
                Widths.TryAdd((font, text), width);
            }
        }

        return width;
    }

    /// <summary>Greedy word wrap; a word longer than the line (a hash, a URL) is broken where it must be.</summary>
    private List<string> Wrap(string text, XFont font, double width)
    {
        var lines = new List<string>();
        var current = "";
        var currentWidth = 0.0;
        var space = Measure(" ", font);
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var wordWidth = Measure(word, font);
            var candidateWidth = current.Length == 0 ? wordWidth : currentWidth + space + wordWidth;
            if (candidateWidth <= width)
            {
                current = current.Length == 0 ? word : current + " " + word;
                currentWidth = candidateWidth;
                continue;
            }

            if (current.Length > 0)
            {
                lines.Add(current);
            }

            current = word;
            currentWidth = wordWidth;
            while (_measure.MeasureString(current, font).Width > width)
            {
                var fit = current.Length - 1;
                while (fit > 1 && _measure.MeasureString(current[..fit], font).Width > width)
                {
                    fit--;
                }

                lines.Add(current[..fit]);
                current = current[fit..];
                currentWidth = _measure.MeasureString(current, font).Width;
            }
        }

        lines.Add(current);
        return lines;
    }
}
