using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DispositifModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<DeviceAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Device;

    protected override DeviceAnswers Read(ApplicationAnswers answers) => answers.Device;

    protected override void Write(ApplicationAnswers answers, DeviceAnswers section) => answers.Device = section;

    /// <summary>The references table of a global application: add a row, or remove row n.</summary>
    protected override bool EditRows(string action)
    {
        if (action == "ajouter-reference")
        {
            Input.ReferenceList.Add(new DeviceReference());
            return true;
        }

        if (action.StartsWith("retirer-reference-", StringComparison.Ordinal)
            && int.TryParse(action["retirer-reference-".Length..], out var row) && row >= 0 && row < Input.ReferenceList.Count)
        {
            Input.ReferenceList.RemoveAt(row);
            return true;
        }

        return false;
    }
}
