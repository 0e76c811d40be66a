using PdfSharp.Fonts;

namespace Derogation.Core.Letters;

/// <summary>
/// PDFsharp draws with fonts the portal supplies: Liberation Sans from the machine (Debian: fonts-liberation;
/// installed by .ci/run and the Docker image) — Arial's metrics, the State's fallback for Marianne; it covers
/// French accents and typographic signs, Latin, Greek and Cyrillic. Chosen over DejaVu Sans after measuring:
/// its font file is a fifth of the size, and embedding the subset is the largest part of a letter's rendering.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "Liberation Sans";

    private static readonly string[] Folders = ["/usr/share/fonts/truetype/liberation", "/usr/share/fonts/liberation", "/usr/share/fonts/truetype/liberation2"];
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>Once per process: PDFsharp's font settings are global.</summary>
    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            GlobalFontSettings.FontResolver = new PdfFonts();
            _installed = true;
        }
    }

    public FontResolverInfo? ResolveTypeface(string familyName, bool bold, bool italic) =>
        new((bold, italic) switch
        {
            (true, true) => "LiberationSans-BoldItalic",
            (true, false) => "LiberationSans-Bold",
            (false, true) => "LiberationSans-Italic",
            _ => "LiberationSans-Regular",
        });

    public byte[]? GetFont(string faceName)
    {
        foreach (var folder in Folders)
        {
            var path = Path.Combine(folder, faceName + ".ttf");
            if (File.Exists(path))
            {
                return File.ReadAllBytes(path);
            }
        }

        throw new FileNotFoundException($"Font {faceName}.ttf not found in {string.Join(", ", Folders)}: install the Liberation fonts (Debian: apt-get install fonts-liberation).");
    }
}
