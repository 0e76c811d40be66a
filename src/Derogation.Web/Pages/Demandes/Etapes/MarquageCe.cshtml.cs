using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class MarquageCeModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<NonComplianceAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.NonCompliance;

    protected override NonComplianceAnswers Read(ApplicationAnswers answers) => answers.NonCompliance;

    protected override void Write(ApplicationAnswers answers, NonComplianceAnswers section) => answers.NonCompliance = section;
}
