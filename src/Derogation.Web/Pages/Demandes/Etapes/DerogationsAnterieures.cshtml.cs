using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DerogationsAnterieuresModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<EarlierDerogationsAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.EarlierDerogations;

    protected override EarlierDerogationsAnswers Read(ApplicationAnswers answers) => answers.EarlierDerogations;

    protected override void Write(ApplicationAnswers answers, EarlierDerogationsAnswers section) => Sections.Write(answers, StepNames.EarlierDerogations, section);

    protected override bool EditRows(string action)
    {
        if (action == "ajouter-derogation")
        {
            Input.HasEarlierDerogations = true;
            Input.Derogations.Add(new EarlierDerogation());
            return true;
        }

        if (action.StartsWith("retirer-derogation-", StringComparison.Ordinal)
            && int.TryParse(action["retirer-derogation-".Length..], out var row) && row >= 0 && row < Input.Derogations.Count)
        {
            Input.Derogations.RemoveAt(row);
            return true;
        }

        return false;
    }
}
