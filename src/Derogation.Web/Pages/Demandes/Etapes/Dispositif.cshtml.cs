using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DispositifModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<DeviceAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Device;

    /// <summary>A global application lists its references in a table: it opens with one row to fill, not none.</summary>
    protected override DeviceAnswers Read(ApplicationAnswers answers)
    {
        var device = AnswersJson.Copy(answers).Device;
        if (Application.Kind == ApplicationKind.Global && device.ReferenceList.Count == 0)
        {
            device.ReferenceList.Add(new DeviceReference());
        }

        return device;
    }

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
