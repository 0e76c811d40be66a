using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DispositifModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<DeviceAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.Device;

    protected override DeviceAnswers Read(ApplicationAnswers answers) => answers.Device;

    protected override void Write(ApplicationAnswers answers, DeviceAnswers section) => answers.Device = section;
}
