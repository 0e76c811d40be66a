using System.Globalization;
using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Applications;

/// <summary>
/// Answers as people read them, section by section: labels are the strings "Field" + property name — or
/// "ShownField" + property name where the wizard's question reads wrongly once answered ("Vous déposez en tant que"
/// shown to a reviewer) — and values are formatted (yes, choices, dates, counts with their thousands separator —
/// years excepted —, lists). Used by the applicant's summary and the reviewer's case file.
/// </summary>
public sealed class AnswersPresenter(IStringLocalizer<SharedResource> l)
{
    public IReadOnlyList<(string Label, string Value)> Describe(object section) => section is IEnumerable<DocumentReference> documents
        ? documents.Select(d => (l["DocumentType" + d.Type].Value,
            $"{d.FileName} — {l["DocumentSize", Math.Max(1, d.SizeBytes / 1024)]}{(d.Anonymised ? $", {l["DocumentAnonymisedBadge"]}" : "")}")).ToList()
        : section.GetType().GetProperties()
            .Select(property => (Key: "Field" + property.Name, Value: property.GetValue(section)))
            .Where(field => field.Value is not null and not "" && field.Value is not false && field.Value is not System.Collections.ICollection { Count: 0 })
            .Select(field => (Label(field.Key), field.Key.Contains("Year", StringComparison.Ordinal) ? field.Value!.ToString()! : Format(field.Value!)))
            .ToList();

    private string Label(string key) => l["Shown" + key] is { ResourceNotFound: false } shown ? shown.Value : l[key].Value;

    private string Format(object value) => value switch
    {
        int count => count.ToString("N0", CultureInfo.CurrentCulture),
        true => l["Yes"],
        IEnumerable<DeviceReference> references => string.Join("\n", references.Select(r => $"{r.Code} — {r.Description}")),
        IEnumerable<EarlierDerogation> derogations => string.Join("\n", derogations.Select(d =>
            l["EarlierDerogationSummary", d.DecisionReference ?? "", d.PatientsTreated ?? 0, d.DevicesUsed ?? 0, d.Incidents ?? ""].Value)),
        Enum choice => l[choice.GetType().Name + choice],
        DateOnly date => date.ToString("d", CultureInfo.CurrentCulture),
        _ => value.ToString() ?? "",
    };
}
