using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class DeclarationsModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<DeclarationsAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Declarations;

    protected override DeclarationsAnswers Read(ApplicationAnswers answers) => answers.Declarations;

    protected override void Write(ApplicationAnswers answers, DeclarationsAnswers section) => answers.Declarations = section;
}
