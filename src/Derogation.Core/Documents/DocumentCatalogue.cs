using Derogation.Core.Applications;

namespace Derogation.Core.Documents;

public enum DocumentType
{
    GsprDeclaration,
    SafetyPerformanceSummary,
    DeviceDescription,
    MedicalJustification,
    CeMarkingPlan,
    EarlierDerogationsAssessment,
    Mandate,
    Prescription,
    NotifiedBodyCorrespondence,
    SupportLetters,
    Other,
}

public enum Requirement
{
    /// <summary>Asterisked: no submission without it.</summary>
    Mandatory,
    /// <summary>
    /// Needed when someone files under the manufacturer's mandate; the portal holds that mandate and attaches it at
    /// submission when the filer has not uploaded it, so it is never asked for.
    /// </summary>
    AttachedWhenFiledUnderMandate,
    /// <summary>Asterisked when earlier derogations are declared (global applications).</summary>
    MandatoryWhenEarlierDerogations,
    Optional,
}

/// <summary>One entry of the catalogue: what it is, whether each kind of application needs it, whether it concerns the patient.</summary>
public sealed record CatalogueEntry(DocumentType Type, Requirement? Individual, Requirement? Global, bool ConcernsPatient);

/// <summary>The supporting documents (docs/domain.md §5), as data: one row per document type.</summary>
public static class DocumentCatalogue
{
    public static IReadOnlyList<CatalogueEntry> Entries { get; } =
    [
        new(DocumentType.GsprDeclaration, Requirement.Mandatory, Requirement.Mandatory, false),
        new(DocumentType.SafetyPerformanceSummary, Requirement.Mandatory, Requirement.Mandatory, false),
        new(DocumentType.DeviceDescription, Requirement.Mandatory, Requirement.Mandatory, false),
        new(DocumentType.MedicalJustification, Requirement.Mandatory, null, true),
        new(DocumentType.CeMarkingPlan, null, Requirement.Mandatory, false),
        new(DocumentType.EarlierDerogationsAssessment, null, Requirement.MandatoryWhenEarlierDerogations, false),
        new(DocumentType.Mandate, Requirement.AttachedWhenFiledUnderMandate, Requirement.AttachedWhenFiledUnderMandate, false),
        new(DocumentType.Prescription, Requirement.Optional, null, true),
        new(DocumentType.NotifiedBodyCorrespondence, Requirement.Optional, Requirement.Optional, false),
        new(DocumentType.SupportLetters, Requirement.Optional, Requirement.Optional, false),
        new(DocumentType.Other, Requirement.Optional, Requirement.Optional, false),
    ];

    public static IEnumerable<CatalogueEntry> For(ApplicationKind kind) =>
        Entries.Where(e => (kind == ApplicationKind.Individual ? e.Individual : e.Global) is not null);

    public static CatalogueEntry Entry(DocumentType type) => Entries.Single(e => e.Type == type);

    /// <summary>
    /// Documents that may mention the patient, whose text the anonymisation rules are applied to: in an individual
    /// application, the medical justification and the prescription, and also the professionals' supporting letters and
    /// "other" documents (they are about that patient).
    /// </summary>
    public static bool ConcernsPatient(DocumentType type, ApplicationKind kind) =>
        Entry(type).ConcernsPatient || (kind == ApplicationKind.Individual && type is DocumentType.SupportLetters or DocumentType.Other);

    /// <summary>Whether the portal attaches a document of this type itself at submission (the mandate it holds).</summary>
    public static bool AttachedByPortal(CatalogueEntry entry, ApplicationKind kind, ApplicationAnswers answers) =>
        (kind == ApplicationKind.Individual ? entry.Individual : entry.Global) == Requirement.AttachedWhenFiledUnderMandate
        && answers.Parties.FiledAs is FiledAs.Consultant or FiledAs.Importer or FiledAs.Distributor;

    /// <summary>Whether this application cannot be submitted without a document of this type (the asterisk).</summary>
    public static bool IsRequired(CatalogueEntry entry, ApplicationKind kind, ApplicationAnswers answers) =>
        (kind == ApplicationKind.Individual ? entry.Individual : entry.Global) switch
        {
            // The prescriber's own statement, written through their link, stands for the uploaded justification.
            Requirement.Mandatory => !(entry.Type == DocumentType.MedicalJustification && answers.PrescriberStatement is not null)
                                     // The annual prosthesis derogation covers discontinued parts that will never be CE-marked: no plan.
                                     && !(entry.Type == DocumentType.CeMarkingPlan && answers.GlobalScope.AnnualProsthesisRevision),
            Requirement.MandatoryWhenEarlierDerogations => answers.EarlierDerogations.HasEarlierDerogations == true,
            _ => false,
        };
}
