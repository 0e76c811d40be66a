using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PartiesModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, TimeProvider clock)
    : WizardStepPage<PartiesAnswers>(drafts, l, clock)
{
    public override WizardStep Step => WizardSteps.Parties;

    protected override PartiesAnswers Read(ApplicationAnswers answers) => answers.Parties;

    protected override void Write(ApplicationAnswers answers, PartiesAnswers section) => answers.Parties = section;
}
