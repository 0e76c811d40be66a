using Microsoft.Extensions.Localization;

namespace Derogation.Web.Forms;

/// <summary>
/// What the page says when a typed value cannot be read at all (letters in a number, a full date in a year): the
/// field by its label, what was typed, and the fix that fits the kind of field — never a date example for a year.
/// The model binder gives only the property's name, so the kind is read from it (names are the domain's: …Year…,
/// …Date…, Valid…, …Deadline; counts of patients, devices, quantities).
/// </summary>
public static class BindingMessages
{
    public static string Invalid(IStringLocalizer l, string value, string field)
    {
        var label = l["Field" + field] is { ResourceNotFound: false } found ? found.Value : null;
        if (label is null)
        {
            return l["ValueInvalid", value];
        }

        var kind = field switch
        {
            _ when field.Contains("Year", StringComparison.Ordinal) => "Year",
            _ when field.Contains("Date", StringComparison.Ordinal) || field.StartsWith("Valid", StringComparison.Ordinal) || field.EndsWith("Deadline", StringComparison.Ordinal) => "Date",
            _ when field.Contains("Patients", StringComparison.Ordinal) || field.Contains("Count", StringComparison.Ordinal) || field.Contains("Quantity", StringComparison.Ordinal)
                   || field.Contains("Devices", StringComparison.Ordinal) || field.StartsWith("Max", StringComparison.Ordinal) || field.StartsWith("Estimated", StringComparison.Ordinal) => "Number",
            _ => "",
        };
        return l["ValueInvalid" + kind + "Named", label, value];
    }
}
