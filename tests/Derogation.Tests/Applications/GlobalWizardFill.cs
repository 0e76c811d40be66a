namespace Derogation.Tests.Applications;

/// <summary>Complete answers for the global wizard; references and earlier derogations are indexed rows.</summary>
public static class GlobalWizardFill
{
    public static Dictionary<string, string> Device(int references)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.TradeName"] = "Implant rachidien Modulo", ["Input.Model"] = "MOD-2", ["Input.RiskClass"] = "III",
            ["Input.IntendedPurpose"] = "Arthrodèse rachidienne de révision.",
        };
        for (var i = 0; i < references; i++)
        {
            fields[$"Input.ReferenceList[{i}].Code"] = $"MOD-2-{i + 1:D3}";
            fields[$"Input.ReferenceList[{i}].Description"] = $"Vis pédiculaire {30 + i} mm";
        }

        return fields;
    }

    public static Dictionary<string, string> EarlierDerogations(int count)
    {
        var fields = new Dictionary<string, string>
        {
            ["Input.HasEarlierDerogations"] = count > 0 ? "true" : "false",
            ["Input.Assessment"] = "Aucun incident grave ; 41 patients traités au total, résultats conformes aux attentes.",
        };
        for (var i = 0; i < count; i++)
        {
            fields[$"Input.Derogations[{i}].DecisionReference"] = $"DGL-2025-0000{i + 1}";
            fields[$"Input.Derogations[{i}].PatientsTreated"] = (20 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields[$"Input.Derogations[{i}].DevicesUsed"] = (30 + i).ToString(System.Globalization.CultureInfo.InvariantCulture);
            fields[$"Input.Derogations[{i}].Incidents"] = "Aucun";
        }

        return fields;
    }

    public static (string Slug, Dictionary<string, string> Fields)[] Steps(int references = 3, int earlier = 0) =>
    [
        ("parties", new()
        {
            ["Input.FiledAs"] = "Manufacturer", ["Input.LegalBasis"] = "MedicalDevice", ["Input.ContactName"] = "Jean Martin",
            ["Input.ContactEmail"] = "jean.martin@ortho.example", ["Input.ContactPhone"] = "+33 1 23 45 67 89",
        }),
        ("dispositif", Device(references)),
        ("marquage-ce", new()
        {
            ["Input.ReasonNoCeMarking"] = "Certificat expiré lors de la transition vers le règlement.", ["Input.CeStatus"] = "InProgress",
            ["Input.ExpectedCertificationDate"] = "2027-06-30", ["Input.PlannedTimeline"] = "Audit de l'organisme notifié prévu en 2027.",
            ["Input.CeMarkingCommitment"] = "Certification visée pour 2027.",
            ["Input.StudyStatus"] = "Suivi clinique après commercialisation en cours.", ["Input.WhyNotInStudy"] = "Révisions non programmables.",
        }),
        ("perimetre", new()
        {
            ["Input.TargetPopulation"] = "Patients porteurs d'un implant Modulo nécessitant une révision.",
            ["Input.NeedJustification"] = "Seules ces références sont compatibles avec les implants posés.",
            ["Input.NoAlternativeJustification"] = "Aucun composant marqué CE compatible.",
            ["Input.ValidFrom"] = "2027-01-01", ["Input.ValidUntil"] = "2027-12-31", ["Input.EstimatedPatients"] = "40",
            ["Input.Establishments"] = "CHU de Lyon\nCHU de Bordeaux",
        }),
        ("derogations-anterieures", EarlierDerogations(earlier)),
        ("securite-performances", new()
        {
            ["Input.ClinicalPerformance"] = "Recul de 10 ans sur 2 000 patients.",
            ["Input.BenefitRisk"] = "Favorable : évite une reprise complète.",
        }),
        ("declarations", new()
        {
            ["Input.InformationAccurate"] = "true", ["Input.GsprConformity"] = "true", ["Input.PrecautionsTaken"] = "true", ["Input.CommitsToCeMarking"] = "true",
        }),
    ];
}
