using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PatientModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<PatientAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.Patient;

    protected override PatientAnswers Read(ApplicationAnswers answers) => answers.Patient;

    protected override void Write(ApplicationAnswers answers, PatientAnswers section) => answers.Patient = section;
}
