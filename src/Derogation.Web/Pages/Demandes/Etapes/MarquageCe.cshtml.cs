using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class MarquageCeModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<NonComplianceAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.NonCompliance;

    protected override NonComplianceAnswers Read(ApplicationAnswers answers) => answers.NonCompliance;

    protected override void Write(ApplicationAnswers answers, NonComplianceAnswers section) => answers.NonCompliance = section;
}
