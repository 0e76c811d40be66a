using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>
/// The anonymisation rules as FluentValidation rules, used by the wizard's steps, by the summary and again by
/// the submitting service. Messages come from the portal's strings (keys Anon*), so they are in the user's
/// language; each names the field, what was found and how to fix it.
/// </summary>
public static class AnonymisationRules
{
    public static IRuleBuilderOptionsConditions<T, string?> PatientInitial<T>(this IRuleBuilder<T, string?> rule, IStringLocalizer l, string fieldLabelKey) =>
        rule.Custom((value, context) =>
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                context.AddFailure(l["FieldRequired", l[fieldLabelKey]]);
            }
            else if (!Anonymisation.IsInitial(value))
            {
                // What people actually type instead of one letter gets its own fix: "D." (the dot), "M." or "Mme" (a
                // title), "Du" or "Van" (a particle).
                var typed = value.Trim();
                var bare = typed.TrimEnd('.').ToLowerInvariant();
                var key = typed.Length == 2 && typed[1] == '.' && char.IsLetter(typed[0]) ? "AnonInitialDot"
                    : Titles.Contains(bare) ? "AnonInitialTitle"
                    : Particles.Contains(bare) ? "AnonInitialParticle"
                    : "AnonInitial";
                context.AddFailure(l[key, l[fieldLabelKey], typed, char.ToUpperInvariant(typed[0])]);
            }
        });

    private static readonly HashSet<string> Titles = ["mme", "mlle", "mr", "mrs", "ms", "dr", "pr", "me", "monsieur", "madame"];

    private static readonly HashSet<string> Particles = ["du", "de", "des", "d'", "le", "la", "les", "van", "von", "der", "den", "di", "da", "del", "della", "dos", "mac", "mc", "ben", "el", "al"];

    public static IRuleBuilderOptionsConditions<T, int?> YearOfBirth<T>(this IRuleBuilder<T, int?> rule, IStringLocalizer l, TimeProvider clock) =>
        rule.Custom((year, context) =>
        {
            var currentYear = clock.GetUtcNow().Year;
            if (year is null)
            {
                context.AddFailure(l["FieldRequired", l["FieldYearOfBirth"]]);
            }
            else if (year < 1900 || year > currentYear)
            {
                context.AddFailure(l["AnonYearOfBirth", year.Value, currentYear]);
            }
        });

    /// <summary>Free text that describes the patient; with the patient's initials, their name written out is refused too.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> PatientFreeText<T>(
        this IRuleBuilder<T, string?> rule, IStringLocalizer l, string fieldLabelKey, Func<T, PatientInitials?>? initials = null) =>
        rule.Custom((text, context) =>
        {
            foreach (var finding in Anonymisation.InPatientText(text, initials?.Invoke(context.InstanceToValidate)))
            {
                context.AddFailure(Message(l, fieldLabelKey, finding));
            }
        });

    /// <summary>Every other free text field.</summary>
    public static IRuleBuilderOptionsConditions<T, string?> OtherFreeText<T>(this IRuleBuilder<T, string?> rule, IStringLocalizer l, string fieldLabelKey) =>
        rule.Custom((text, context) =>
        {
            foreach (var finding in Anonymisation.InOtherText(text))
            {
                context.AddFailure(Message(l, fieldLabelKey, finding));
            }
        });

    private static string Message(IStringLocalizer l, string fieldLabelKey, AnonymisationFinding finding) =>
        l["Anon" + finding.Problem, l[fieldLabelKey], finding.Found];
}
