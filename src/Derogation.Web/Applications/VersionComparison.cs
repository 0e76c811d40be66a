using Derogation.Core.Applications;

namespace Derogation.Web.Applications;

/// <summary>One field whose value differs between two versions, as people read it (empty when absent).</summary>
public sealed record FieldChange(string Label, string Before, string After);

public sealed record SectionChanges(WizardStep Step, IReadOnlyList<FieldChange> Changes);

/// <summary>
/// Field-by-field differences between two versions of an application, section by section, in the words of the
/// summary and the case file (the same presenter): what reviewers check after an answer.
/// </summary>
public sealed class VersionComparison(AnswersPresenter presenter)
{
    public IReadOnlyList<SectionChanges> Compare(ApplicationKind kind, ApplicationAnswers before, ApplicationAnswers after) =>
        WizardSteps.For(kind)
            .Select(step => new SectionChanges(step, Changes(presenter.Describe(step.Section(before)), presenter.Describe(step.Section(after)))))
            .Where(section => section.Changes.Count > 0)
            .ToList();

    /// <summary>Fields are matched by label; a label shown several times (documents of one type) compares as a list.</summary>
    private static List<FieldChange> Changes(IReadOnlyList<(string Label, string Value)> before, IReadOnlyList<(string Label, string Value)> after)
    {
        var labels = before.Select(f => f.Label).Concat(after.Select(f => f.Label)).Distinct();
        return labels
            .Select(label => new FieldChange(label, Join(before, label), Join(after, label)))
            .Where(change => change.Before != change.After)
            .ToList();
    }

    private static string Join(IEnumerable<(string Label, string Value)> fields, string label) =>
        string.Join("\n", fields.Where(f => f.Label == label).Select(f => f.Value));
}
