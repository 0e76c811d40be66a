using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PartiesModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<PartiesAnswers>(drafts, l, rules)
{
    protected override string Slug => "parties";

    protected override PartiesAnswers Read(ApplicationAnswers answers) => answers.Parties;

    protected override void Write(ApplicationAnswers answers, PartiesAnswers section) => answers.Parties = section;
}
