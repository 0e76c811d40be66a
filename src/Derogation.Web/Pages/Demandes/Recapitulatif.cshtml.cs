using System.Globalization;
using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>"Check your answers": every section with a change link, and everything still missing, each linked to its step.</summary>
public sealed class RecapitulatifModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock) : PageModel
{
    public sealed record SectionSummary(WizardStep Step, IReadOnlyList<(string Label, string Value)> Answers, ValidationResult Completeness);

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<SectionSummary> Sections { get; private set; } = [];

    public bool IsComplete => Sections.All(s => s.Completeness.IsValid);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var draft = await drafts.FindEditableAsync(id, User.AsViewer());
        if (draft is null)
        {
            return NotFound();
        }

        Application = draft;
        Sections = WizardSteps.For(draft.Kind)
            .Select(step => new SectionSummary(step, Describe(step.Section(draft.Answers)), step.Validate(draft.Answers, l, clock, true)))
            .ToList();
        return Page();
    }

    /// <summary>Each answered field as label and readable value; labels are the strings "Field" + property name.</summary>
    private List<(string, string)> Describe(object section) => section is IEnumerable<DocumentReference> documents
        ? documents.Select(d => (l["DocumentType" + d.Type].Value,
            $"{d.FileName} — {l["DocumentSize", Math.Max(1, d.SizeBytes / 1024)]}{(d.Anonymised ? $", {l["DocumentAnonymisedBadge"]}" : "")}")).ToList()
        : section.GetType().GetProperties()
        .Select(property => (Key: "Field" + property.Name, Value: property.GetValue(section)))
        .Where(field => field.Value is not null and not "" && field.Value is not false)
        .Select(field => (l[field.Key].Value, Format(field.Value!)))
        .ToList();

    private string Format(object value) => value switch
    {
        true => l["Yes"],
        Enum choice => l[choice.GetType().Name + choice],
        DateOnly date => date.ToString("d", CultureInfo.CurrentCulture),
        _ => value.ToString() ?? "",
    };
}
