using System.Text.RegularExpressions;

namespace Derogation.Core.Applications;

/// <summary>
/// The kinds of field whose form is known: an e-mail address that can receive mail (a domain with its ending, not
/// just an "@"), a telephone number that can be dialled (French or E.164 international, spaces, dots, dashes and
/// brackets allowed as people write them).
/// </summary>
public static partial class FieldKinds
{
    public static bool IsEmail(string? value) =>
        value is not null && EmailPattern().IsMatch(value.Trim()) && System.Net.Mail.MailAddress.TryCreate(value.Trim(), out _);

    public static bool IsPhone(string? value)
    {
        if (value is null)
        {
            return false;
        }

        var digits = Separators().Replace(value.Trim(), "");
        return FrenchPhone().IsMatch(digits) || InternationalPhone().IsMatch(digits);
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)*\.[\p{L}]{2,}$")]
    private static partial Regex EmailPattern();

    [GeneratedRegex(@"[\s.\-()]")]
    private static partial Regex Separators();

    [GeneratedRegex(@"^0[1-9]\d{8}$")]
    private static partial Regex FrenchPhone();

    /// <summary>E.164: a plus, a country code not starting with 0, at most 15 digits in all.</summary>
    [GeneratedRegex(@"^(\+|00)[1-9]\d{6,14}$")]
    private static partial Regex InternationalPhone();
}
