using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DeclarationsModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<DeclarationsAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.Declarations;

    protected override DeclarationsAnswers Read(ApplicationAnswers answers) => answers.Declarations;

    protected override void Write(ApplicationAnswers answers, DeclarationsAnswers section) => answers.Declarations = section;
}
