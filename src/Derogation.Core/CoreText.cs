using System.Globalization;
using System.Resources;

namespace Derogation.Core;

/// <summary>
/// Core's own wording — the rules' messages, the field names they cite, document types, kinds and legal bases, the
/// receipt's labels — in French (Resources/CoreText.resx) and English (CoreText.en.resx). Core's services ask for
/// <c>IStringLocalizer&lt;CoreText&gt;</c>; the web project's strings fall back to these, so a label is written once.
/// </summary>
public sealed class CoreText
{
    private static readonly ResourceManager Strings = new("Derogation.Core.Resources.CoreText", typeof(CoreText).Assembly);
    private static readonly CultureInfo FrenchCulture = new("fr-FR");

    /// <summary>In French whatever the reader's language: ANSM's acts (the deposit receipt) are in French.</summary>
    public static string French(string key, params object[] arguments)
    {
        var format = Strings.GetString(key, FrenchCulture) ?? key;
        return arguments.Length == 0 ? format : string.Format(FrenchCulture, format, arguments);
    }
}
