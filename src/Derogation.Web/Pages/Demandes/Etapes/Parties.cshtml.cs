using Derogation.Core.Applications;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

public sealed class PartiesModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardStepPage<PartiesAnswers>(drafts, l, rules)
{
    protected override string StepName => StepNames.Parties;

    protected override PartiesAnswers Read(ApplicationAnswers answers) => answers.Parties;

    /// <summary>Who files is the server's (ApplicationDrafts.EstablishFilerAsync): <see cref="Sections.Write"/> keeps a mandate's capacity.</summary>
    protected override void Write(ApplicationAnswers answers, PartiesAnswers section) => Sections.Write(answers, StepNames.Parties, section);

    public bool FiledUnderMandate => Application.Answers.Parties.FiledAs is FiledAs.Consultant or FiledAs.Importer or FiledAs.Distributor;
}
