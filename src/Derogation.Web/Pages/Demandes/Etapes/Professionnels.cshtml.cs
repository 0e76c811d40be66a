using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class ProfessionnelsModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<HealthProfessionalsAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.HealthProfessionals;

    protected override HealthProfessionalsAnswers Read(ApplicationAnswers answers) => answers.HealthProfessionals;

    protected override void Write(ApplicationAnswers answers, HealthProfessionalsAnswers section) => answers.HealthProfessionals = section;

    /// <summary>The button that saves the step and opens the prescriber's part.</summary>
    public string PrescriberAction => ToPrescriberPart;
}
