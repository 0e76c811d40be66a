using Derogation.Core.Applications;
using Derogation.Core.Letters;
using Derogation.Core.Organisations;

namespace Derogation.Core.Review;

/// <summary>The plain data a letter is drawn from, read off the stored rows (the letters themselves know no entity).</summary>
public static class LetterFacts
{
    public static LetterParty Party(Organisation organisation) =>
        new(organisation.Id, organisation.LegalName, organisation.Address, organisation.Country);

    public static LetterCase Case(Application application, ApplicationAnswers answers, Organisation manufacturer, Organisation filer) =>
        new(application.Reference, application.Kind, application.LegalBasis, application.SubmittedAt, application.DeviceName, Party(manufacturer), Party(filer), answers);

    public static LetterDecision Decision(Decision decision) =>
        new(decision.Outcome, decision.Version, decision.Reasons, decision.Conditions, decision.DecidedAt, decision.SignatoryName, decision.SignatoryTitle, decision.OtherRecipients);

    public static LetterMeasure Measure(GrantMeasure measure) =>
        new(measure.Kind, measure.Reasons, measure.DecidedAt, measure.NewValidUntil, measure.SignatoryName, measure.SignatoryTitle, measure.Conditions);
}
