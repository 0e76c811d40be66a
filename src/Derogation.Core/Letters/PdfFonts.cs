using PdfSharp.Fonts;

namespace Derogation.Core.Letters;

/// <summary>
/// PDFsharp draws with fonts the portal supplies: DejaVu Sans from the machine (Debian: fonts-dejavu-core;
/// installed by .ci/run and the Docker image), which covers French accents and typographic signs.
/// </summary>
public sealed class PdfFonts : IFontResolver
{
    public const string Family = "DejaVu Sans";

    private static readonly string[] Folders = ["/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu"];
    private static readonly Lock Gate = new();
    private static bool _installed;

    /// <summary>
    /// Once per process: PDFsharp's font settings are global. PDFsharp's licence must be chosen by the program
    /// itself (<c>PdfSharpLicense.SetAgplLicense()</c> in Program.cs, and in the tests' module initializer):
    /// set from this library on the program's behalf, PDFsharp 6.5 still reports no valid licence.
    /// </summary>
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
            (true, true) => "DejaVuSans-BoldOblique",
            (true, false) => "DejaVuSans-Bold",
            (false, true) => "DejaVuSans-Oblique",
            _ => "DejaVuSans",
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

        throw new FileNotFoundException($"Font {faceName}.ttf not found in {string.Join(", ", Folders)}: install the DejaVu fonts (Debian: apt-get install fonts-dejavu-core).");
    }
}
