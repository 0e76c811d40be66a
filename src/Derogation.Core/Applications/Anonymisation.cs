using System.Text.RegularExpressions;

namespace Derogation.Core.Applications;

public enum AnonymisationProblem
{
    /// <summary>A date more precise than a year (12/03/2024, 2024-03-12, 12 mars, March 2024, 03/2024…).</summary>
    PreciseDate,
    /// <summary>A French social-security number (NIR).</summary>
    SocialSecurityNumber,
    /// <summary>A title followed by a name (M. Dupont, Madame X, Mr Smith).</summary>
    TitleAndName,
    /// <summary>A birth-date phrase (né le, née le, born on).</summary>
    BirthDatePhrase,
    /// <summary>A French telephone number (06 12 34 56 78, +33 6 12 34 56 78).</summary>
    PhoneNumber,
    /// <summary>A postal address: a number followed by a street word (12 rue …, 3 bis avenue …).</summary>
    PostalAddress,
    /// <summary>Two capitalised words whose initials are the patient's initials ("Lucas Martin" for L. M.).</summary>
    PatientName,
}

public sealed record AnonymisationFinding(AnonymisationProblem Problem, string Found);

/// <summary>The patient's initials as declared, to recognise their name written out in full.</summary>
public sealed record PatientInitials(string? LastName, string? FirstName);

/// <summary>
/// The anonymisation rules of the notice to applicants (docs/domain.md §6): the patient is identified only by the
/// initials of their names and their year of birth; any date concerning the patient is limited to the year.
/// This finds what breaks them in free text; the FluentValidation rules (<see cref="AnonymisationRules"/>) say
/// so to the user.
/// </summary>
public static partial class Anonymisation
{
    /// <summary>
    /// Text that describes the patient (docs/domain.md §6): no date more precise than a year (a day and
    /// month without a year included), no social-security number (whatever its key), no title and name, no
    /// birth-date phrase, no phone number, no postal address, and — when the initials are known — not the
    /// patient's name written out.
    /// </summary>
    public static IReadOnlyList<AnonymisationFinding> InPatientText(string? text, PatientInitials? initials = null)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        var findings = new List<AnonymisationFinding>();
        findings.AddRange(PreciseDates(text).Select(found => new AnonymisationFinding(AnonymisationProblem.PreciseDate, found)));
        findings.AddRange(SocialSecurityNumbers(text, anyKey: true).Select(found => new AnonymisationFinding(AnonymisationProblem.SocialSecurityNumber, found)));
        findings.AddRange(TitleAndName().Matches(text).Select(m => new AnonymisationFinding(AnonymisationProblem.TitleAndName, m.Value.Trim())));
        findings.AddRange(BirthDatePhrase().Matches(text).Select(m => new AnonymisationFinding(AnonymisationProblem.BirthDatePhrase, m.Value.Trim())));
        findings.AddRange(FrenchPhone().Matches(text).Select(m => new AnonymisationFinding(AnonymisationProblem.PhoneNumber, m.Value.Trim())));
        findings.AddRange(PostalAddress().Matches(text).Select(m => new AnonymisationFinding(AnonymisationProblem.PostalAddress, m.Value.Trim())));
        findings.AddRange(PatientNames(text, initials).Select(found => new AnonymisationFinding(AnonymisationProblem.PatientName, found)));
        return findings.DistinctBy(f => (f.Problem, f.Found)).ToList();
    }

    /// <summary>
    /// A free text written about an application after it was filed (an answer to ANSM, a withdrawal reason, a message):
    /// for an individual application the patient rules, with its patient's initials; otherwise the general rules.
    /// </summary>
    public static IReadOnlyList<AnonymisationFinding> InTextAbout(Application application, string? text) =>
        application.Kind == ApplicationKind.Individual
            ? InPatientText(text, new PatientInitials(application.Answers.Patient.LastNameInitial, application.Answers.Patient.FirstNameInitial))
            : InOtherText(text);

    /// <summary>
    /// What identifies the patient and refuses a document (a social-security number, a birth-date phrase, a title and
    /// a name, the patient's name) — as opposed to a precise date, which a prescription legitimately carries.
    /// </summary>
    public static bool Identifies(AnonymisationProblem problem) =>
        problem is AnonymisationProblem.SocialSecurityNumber or AnonymisationProblem.BirthDatePhrase or AnonymisationProblem.TitleAndName or AnonymisationProblem.PatientName;

    /// <summary>Any other free text: no social-security number and no birth-date phrase.</summary>
    public static IReadOnlyList<AnonymisationFinding> InOtherText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        return SocialSecurityNumbers(text, anyKey: false).Select(found => new AnonymisationFinding(AnonymisationProblem.SocialSecurityNumber, found))
            .Concat(BirthDatePhrase().Matches(text).Select(m => new AnonymisationFinding(AnonymisationProblem.BirthDatePhrase, m.Value.Trim())))
            .ToList();
    }

    /// <summary>Exactly one letter (accented letters allowed): "D" yes; "Du", "D.", "1" no.</summary>
    public static bool IsInitial(string? value) => value is not null && SingleLetter().IsMatch(value.Trim());

    private static IEnumerable<string> PreciseDates(string text) =>
        PreciseDate().Matches(text).Concat(DayAndMonth().Matches(text)).Select(m => m.Value.Trim()).Distinct();

    /// <summary>Two capitalised words, in either order, whose initials are the patient's (first name, last name).</summary>
    private static IEnumerable<string> PatientNames(string text, PatientInitials? initials)
    {
        if (initials is null || !IsInitial(initials.LastName) || !IsInitial(initials.FirstName))
        {
            yield break;
        }

        var (last, first) = (char.ToUpperInvariant(initials.LastName!.Trim()[0]), char.ToUpperInvariant(initials.FirstName!.Trim()[0]));
        foreach (Match match in TwoCapitalisedWords().Matches(text))
        {
            var (a, b) = (char.ToUpperInvariant(match.Groups[1].Value[0]), char.ToUpperInvariant(match.Groups[2].Value[0]));
            if ((a == first && b == last) || (a == last && b == first))
            {
                yield return match.Value;
            }
        }
    }

    private static IEnumerable<string> SocialSecurityNumbers(string text, bool anyKey)
    {
        foreach (Match match in NirCandidate().Matches(text))
        {
            var compact = match.Value.Replace(" ", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).ToUpperInvariant();
            // Written with the usual grouping, it is a NIR whatever its key; as a bare run of digits, only when its
            // key is right (so that a 15-digit catalogue number is not mistaken for one).
            // In patient text, any number of that shape is refused, whatever its key.
            var grouped = match.Value.Contains(' ', StringComparison.Ordinal);
            if (grouped || (compact.Length == 15 && (anyKey || HasValidKey(compact))))
            {
                yield return match.Value.Trim();
            }
        }
    }

    private static bool HasValidKey(string nir)
    {
        // Corsica: 2A counts as 19, 2B as 18.
        var body = nir[..13].Replace("2A", "19", StringComparison.Ordinal).Replace("2B", "18", StringComparison.Ordinal);
        return long.TryParse(body, out var number) && int.TryParse(nir[13..], out var key) && key == 97 - (int)(number % 97);
    }

    private const string FrenchMonths = "janvier|janv\\.?|f[ée]vrier|f[ée]vr?\\.?|mars|avril|avr\\.?|mai|juin|juillet|juil\\.?|ao[uû]t|septembre|sept\\.?|octobre|oct\\.?|novembre|nov\\.?|d[ée]cembre|d[ée]c\\.?";
    private const string EnglishMonths = "january|jan\\.?|february|feb\\.?|march|mar\\.?|april|apr\\.?|may|june|jun\\.?|july|jul\\.?|august|aug\\.?|september|sept?\\.?|october|oct\\.?|november|nov\\.?|december|dec\\.?";

    // One pattern, longest forms first, so that "12 mars 2024" is found whole:
    // 12 mars 2024, 1er mars, premier mars, 12th of March | March 12, 2024 | mars 2024 | 2024-03-12 | 12/03/2024, 12.03.24 | 03/2024
    [GeneratedRegex(
        @"(?<![\p{L}\d])(?:" +
        @"(?:\d{1,2}(?:er|st|nd|rd|th)?|premier)\s+(?:of\s+)?(?:" + FrenchMonths + "|" + EnglishMonths + @")(?![\p{L}])(?:\s+(?:19|20)\d{2}(?!\d))?" +
        @"|(?:" + EnglishMonths + @")\s+\d{1,2}(?:st|nd|rd|th)?(?!\d)(?:,?\s+(?:19|20)\d{2}(?!\d))?" +
        @"|(?:" + FrenchMonths + "|" + EnglishMonths + @")\s+(?:19|20)\d{2}(?!\d)" +
        @"|(?:19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}(?!\d)" +
        @"|\d{1,2}[/.\-]\d{1,2}[/.\-]\d{2,4}(?!\d)" +
        @"|\d{1,2}[/.\-](?:19|20)\d{2}(?!\d)" +
        @")", RegexOptions.IgnoreCase)]
    private static partial Regex PreciseDate();

    // 1 84 12 75 123 456 78, 184127512345640, 2 69 05 2A 012 345
    [GeneratedRegex(@"(?<![\dA-Za-z])[1-478]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[ABab])\s?\d{3}\s?\d{3}(?:\s?\d{2})?(?![\dA-Za-z])")]
    private static partial Regex NirCandidate();

    // M. Dupont, Mme Martin, Madame X, Mr Smith, Mademoiselle Durand (the title in any case, the name capitalised)
    [GeneratedRegex(@"(?<![\p{L}])(?i:monsieur|madame|mademoiselle|mme\.?|mlle\.?|mrs\.?|ms\.?|mr\.?|miss|m\.)\s+\p{Lu}[\p{L}'\-]*")]
    private static partial Regex TitleAndName();

    // né le, née le, nés le, born on
    [GeneratedRegex(@"(?<![\p{L}])(?:n[ée]e?s?\s+le|born\s+on)(?![\p{L}])", RegexOptions.IgnoreCase)]
    private static partial Regex BirthDatePhrase();

    // le 15/01, 3/04: a day (1–31) and a two-digit month (01–12) without a year; "1/2" or "3/4 des patients" are not dates.
    [GeneratedRegex(@"(?<![\d/.,])(?:0?[1-9]|[12]\d|3[01])/(?:0[1-9]|1[0-2])(?![\d/])")]
    private static partial Regex DayAndMonth();

    // 06 12 34 56 78, 06.12.34.56.78, 0612345678, +33 6 12 34 56 78, +33612345678
    [GeneratedRegex(@"(?<![\d+])(?:\+33\s?(?:\(0\)\s?)?|0)[1-9](?:[\s.\-]?\d{2}){4}(?!\d)")]
    private static partial Regex FrenchPhone();

    // 12 rue de la Paix, 3 bis avenue Foch, 140, boulevard Haussmann, 7 chemin des Vignes
    [GeneratedRegex(@"(?<![\p{L}\d])\d{1,4}(?:\s?(?:bis|ter|b|t))?,?\s+(?:rue|avenue|av\.|bd|boulevard|chemin|place|all[ée]e|impasse|route|quai|cours|square|voie|sentier|passage|r[ée]sidence|lotissement|hameau|lieu-dit)(?![\p{L}])[^\n,;]{0,40}", RegexOptions.IgnoreCase)]
    private static partial Regex PostalAddress();

    [GeneratedRegex(@"(?<![\p{L}])(\p{Lu}[\p{Ll}'\-]+)\s+(\p{Lu}[\p{L}'\-]+)")]
    private static partial Regex TwoCapitalisedWords();

    [GeneratedRegex(@"^\p{L}$")]
    private static partial Regex SingleLetter();
}
