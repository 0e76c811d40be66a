using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PatientModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<PatientAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Patient;

    protected override PatientAnswers Read(ApplicationAnswers answers) => answers.Patient;

    protected override void Write(ApplicationAnswers answers, PatientAnswers section) => answers.Patient = section;
}
