using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class ProfessionnelsModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<HealthProfessionalsAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.HealthProfessionals;

    protected override HealthProfessionalsAnswers Read(ApplicationAnswers answers) => answers.HealthProfessionals;

    protected override void Write(ApplicationAnswers answers, HealthProfessionalsAnswers section) => answers.HealthProfessionals = section;
}
