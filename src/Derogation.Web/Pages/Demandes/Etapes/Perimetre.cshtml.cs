using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PerimetreModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<GlobalScopeAnswers>(drafts, l, rules)
{
    public int MaxMonths => Rules.Rules.GlobalMaxValidityMonths;

    protected override string StepName => StepNames.GlobalScope;

    protected override GlobalScopeAnswers Read(ApplicationAnswers answers) => answers.GlobalScope;

    protected override void Write(ApplicationAnswers answers, GlobalScopeAnswers section) => answers.GlobalScope = section;
}
