using Derogation.Core.Applications;
using Derogation.Core.Review;

namespace Derogation.Core.Letters;

/// <summary>
/// A fictitious case to preview a wording on (<c>/admin/modeles</c>): an outcome and kind of the wording's own, a
/// device, a manufacturer, conditions — nobody real, and a draft marking, so that no preview can pass for a letter.
/// </summary>
public static class SampleLetter
{
    public static byte[] Render(string wordingKey, LetterWordingSet wording)
    {
        var (kind, outcome) = wordingKey switch
        {
            nameof(StandardParagraphs.GrantIndividual) => (ApplicationKind.Individual, DecisionOutcome.Grant),
            nameof(StandardParagraphs.GrantGlobal) => (ApplicationKind.Global, DecisionOutcome.Grant),
            nameof(StandardParagraphs.Refusal) => (ApplicationKind.Individual, DecisionOutcome.Refuse),
            _ => (ApplicationKind.Individual, DecisionOutcome.CloseWithoutDecision),
        };
        var answers = new ApplicationAnswers();
        answers.Parties.LegalBasis = LegalBasis.MedicalDevice;
        answers.Device.TradeName = "Dispositif d'exemple";
        answers.Device.Model = "EX-1";
        answers.Device.References = "EX-1-A : modèle d'exemple";
        answers.Device.ReferenceList = kind == ApplicationKind.Global ? [new DeviceReference { Code = "EX-1-A", Description = "modèle d'exemple" }] : [];
        answers.GlobalScope.TargetPopulation = "Population d'exemple";
        answers.Patient.LastNameInitial = "X";
        answers.Patient.FirstNameInitial = "Y";
        answers.Patient.YearOfBirth = 1970;
        answers.HealthProfessionals.PrescriberName = "Dr Exemple";
        answers.HealthProfessionals.EstablishmentName = "Établissement d'exemple";
        var manufacturer = new LetterParty(Guid.Empty, "Fabricant d'exemple", "1 rue de l'Exemple, 75000 Paris", "France");
        var now = DateTimeOffset.UtcNow;
        var letterCase = new LetterCase(kind == ApplicationKind.Individual ? "DIV-0000-00000" : "DGL-0000-00000", kind, LegalBasis.MedicalDevice, now,
            answers.Device.TradeName, manufacturer, manufacturer, answers);
        var decision = new LetterDecision(outcome, 1, "Considérant l'exemple.", new DecisionConditions { ValidUntil = DateOnly.FromDateTime(now.Date).AddMonths(6) },
            now, "Signataire d'exemple", "Fonction d'exemple", []);
        return DecisionLetterPdf.Render(DecisionLetterBuilder.Build(new LetterSource(letterCase, decision, null, null, Draft: true, wording)));
    }
}
