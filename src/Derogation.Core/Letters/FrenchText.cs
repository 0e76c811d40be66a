using System.Globalization;
using System.Text.RegularExpressions;

namespace Derogation.Core.Letters;

/// <summary>
/// Typography of the letters, applied to what reviewers type: considerants that read as French ("Considérant qu'une
/// alternative…", never "Considérant que Une…"), enumerations whose items end with one separator each (never ". ;",
/// ".." or ";."), sentences ending with exactly one full stop.
/// </summary>
public static partial class FrenchText
{
    private const string Vowels = "aeiouyàâäéèêëîïôöùûüœæAEIOUYÀÂÄÉÈÊËÎÏÔÖÙÛÜŒÆ";

    /// <summary>Text without the punctuation and spaces it ends with (a separator will be added by the caller).</summary>
    public static string Bare(string text) => TrailingPunctuation().Replace(Collapse(text), "");

    /// <summary>A sentence ending with one full stop, whatever it ended with ("…", "!" and "?" are kept).</summary>
    public static string Sentence(string text)
    {
        var bare = Bare(text);
        if (bare.Length == 0)
        {
            return "";
        }

        return bare.EndsWith('…') || bare.EndsWith('!') || bare.EndsWith('?') ? bare : bare + ".";
    }

    /// <summary>
    /// One considerant, however the reviewer began it ("Considérant que…", "Considérant l'…", "que…", "qu'…", or
    /// plainly, which becomes "Considérant que…"), with "que" elided before a vowel and the clause's first word in lower case unless it is an acronym (ANSM, CE, CHU).
    /// Ends without punctuation: <see cref="Considerants"/> adds the separators.
    /// </summary>
    public static string Considering(string reason)
    {
        var text = Bare(reason);
        var lead = ConsideringLead().Match(text);
        if (lead.Success)
        {
            text = text[lead.Length..];
            if (!QueLead().IsMatch(text))
            {
                // "Considérant l'absence d'alternative…": a noun phrase, as typed.
                return text.Length == 0 ? "Considérant"
                    : char.IsPunctuation(text[0]) ? $"Considérant{text}" // "Considérant, au point 3, que…"
                    : $"Considérant {LowerFirstWord(text)}";
            }
        }

        var clause = (QueLead().Match(text) is { Success: true } que ? text[que.Length..] : text).TrimStart(' ', ':', ',', ';');
        if (clause.Length == 0)
        {
            return "Considérant";
        }

        clause = LowerFirstWord(clause);
        return Vowels.Contains(clause[0]) ? $"Considérant qu'{clause}" : $"Considérant que {clause}";
    }

    /// <summary>One considerant per line of the reasons, each ending with " ;" (the decision follows).</summary>
    public static IReadOnlyList<string> Considerants(string reasons) =>
        Lines(reasons).Select(Considering).Where(c => c != "Considérant").Select(c => c + " ;").ToList();

    /// <summary>
    /// Items of a list in an article: each prefixed with "— ", ending with " ;" and the last with "." — the typed
    /// punctuation removed first so that nothing doubles.
    /// </summary>
    public static IReadOnlyList<string> Enumeration(IEnumerable<string> items)
    {
        var bare = items.Select(Bare).Where(i => i.Length > 0).ToList();
        return bare.Select((item, i) => i < bare.Count - 1 ? $"— {item} ;" : $"— {Sentence(item)}").ToList();
    }

    /// <summary>The non-empty lines of a text, trimmed.</summary>
    public static IEnumerable<string> Lines(string? text) =>
        (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Collapse(string text) => Spaces().Replace(text.Trim(), " ");

    private static string LowerFirstWord(string clause)
    {
        var firstWord = clause.Split(' ', 2)[0];
        var letters = firstWord.Where(char.IsLetter).ToList();
        // An acronym (ANSM, CE, DM-DIV) or a word with a capital inside (iPhone, McKesson) stays as typed.
        if (letters.Count == 0 || letters.Count(char.IsUpper) > 1 || letters.Skip(1).Any(char.IsUpper))
        {
            return clause;
        }

        return char.ToLower(clause[0], CultureInfo.GetCultureInfo("fr-FR")) + clause[1..];
    }

    [GeneratedRegex(@"[\s.;,:]+$")]
    private static partial Regex TrailingPunctuation();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^consid[ée]rant\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ConsideringLead();

    [GeneratedRegex(@"^(que\s+|qu['’]\s*)", RegexOptions.IgnoreCase)]
    private static partial Regex QueLead();
}
