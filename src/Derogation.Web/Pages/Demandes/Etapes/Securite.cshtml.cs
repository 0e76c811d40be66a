using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class SecuriteModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<SafetyAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Safety;

    protected override SafetyAnswers Read(ApplicationAnswers answers) => answers.Safety;

    /// <summary>A medical device has no analytical performance (an IVD notion): whatever is posted for it is not kept (<see cref="Sections.Write"/>).</summary>
    protected override void Write(ApplicationAnswers answers, SafetyAnswers section) => Sections.Write(answers, StepNames.Safety, section);
}
