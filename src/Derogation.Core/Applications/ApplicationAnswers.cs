namespace Derogation.Core.Applications;

public enum FiledAs
{
    Manufacturer,
    AuthorisedRepresentative,
    Consultant,
    Importer,
    Distributor,
}

public enum LegalBasis
{
    /// <summary>Medical device: Article 59 MDR, CSP L.5211-3 II.</summary>
    MedicalDevice,
    /// <summary>In vitro diagnostic device: Article 54 IVDR, CSP L.5221-3 II.</summary>
    InVitroDiagnostic,
}

public enum CeMarkingStatus
{
    NeverMarked,
    PreviouslyMarked,
    InProgress,
    Planned,
}

public enum Urgency
{
    VitalEmergency,
    Urgent,
    Planned,
}

/// <summary>
/// Everything the applicant answers, section by section (docs/domain.md §3). Stored as one JSON document on the
/// application, so that a draft keeps whatever was saved and each submitted version can be frozen whole.
/// </summary>
public sealed class ApplicationAnswers
{
    public PartiesAnswers Parties { get; set; } = new();
    public DeviceAnswers Device { get; set; } = new();
    public NonComplianceAnswers NonCompliance { get; set; } = new();
    public PatientAnswers Patient { get; set; } = new();
    /// <summary>Global applications only.</summary>
    public GlobalScopeAnswers GlobalScope { get; set; } = new();
    /// <summary>Global applications only.</summary>
    public EarlierDerogationsAnswers EarlierDerogations { get; set; } = new();
    public HealthProfessionalsAnswers HealthProfessionals { get; set; } = new();
    public SafetyAnswers Safety { get; set; } = new();
    public DeclarationsAnswers Declarations { get; set; } = new();
    /// <summary>The answers to the check before the wizard (null: the draft was started without it).</summary>
    public EligibilityAnswers? Eligibility { get; set; }
    /// <summary>Individual applications: the prescriber's own statement, written through their single-use link, never by the applicant.</summary>
    public PrescriberStatement? PrescriberStatement { get; set; }
    /// <summary>The supporting documents uploaded so far; their bytes live in document_chunks.</summary>
    public List<DocumentReference> Documents { get; set; } = [];
}

/// <summary>An uploaded document as the application refers to it; Sha256 is what the receipt and letters quote.</summary>
public sealed class DocumentReference
{
    public Guid Id { get; set; }
    public Documents.DocumentType Type { get; set; }
    public string FileName { get; set; } = "";
    public string ContentType { get; set; } = "";
    public long SizeBytes { get; set; }
    public string Sha256 { get; set; } = "";
    /// <summary>Ticked by the uploader for a document concerning the patient.</summary>
    public bool Anonymised { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
    /// <summary>For a PDF, its number of pages.</summary>
    public int? PageCount { get; set; }
    /// <summary>For a document concerning the patient: whether its text was checked against the anonymisation rules (false: no text layer, check by eye).</summary>
    public bool? CheckedAutomatically { get; set; }
    /// <summary>Attached by the portal at submission (the mandate it holds), not uploaded by the applicant.</summary>
    public bool AttachedByPortal { get; set; }
    /// <summary>Carried over from the derogation an extension extends (its reference): the same file, not uploaded again.</summary>
    public string? CarriedOverFrom { get; set; }
    /// <summary>The applicant confirmed that the carried-over file still applies (required before going on).</summary>
    public bool CarriedOverConfirmed { get; set; }
    /// <summary>Precise dates found in a patient document, which the applicant confirmed (shown to the reviewer).</summary>
    public List<string> DateWarnings { get; set; } = [];
}

public sealed class PartiesAnswers
{
    public FiledAs? FiledAs { get; set; }
    public LegalBasis? LegalBasis { get; set; }
    public string? ContactName { get; set; }
    public string? ContactEmail { get; set; }
    public string? ContactPhone { get; set; }
    public bool ManufacturerOutsideEu { get; set; }
    public string? AuthorisedRepresentativeName { get; set; }
    public string? AuthorisedRepresentativeAddress { get; set; }
    public string? AuthorisedRepresentativeCountry { get; set; }
    /// <summary>Where the authorised representative receives its copy of the letter.</summary>
    public string? AuthorisedRepresentativeEmail { get; set; }
}

public sealed class DeviceAnswers
{
    public string? TradeName { get; set; }
    public string? Model { get; set; }
    /// <summary>Individual applications: the model's reference(s) as text.</summary>
    public string? References { get; set; }
    /// <summary>Global applications: every reference covered, each with its description (annexed to the decision).</summary>
    public List<DeviceReference> ReferenceList { get; set; } = [];
    public string? UdiDi { get; set; }
    public string? RiskClass { get; set; }
    public string? IntendedPurpose { get; set; }
    /// <summary>IVD only: principle of the method.</summary>
    public string? MethodPrinciple { get; set; }
    /// <summary>IVD only: principle of interpretation of results.</summary>
    public string? InterpretationPrinciple { get; set; }
    /// <summary>IVD only.</summary>
    public string? StabilityData { get; set; }
    /// <summary>IVD only.</summary>
    public string? StorageConditions { get; set; }
    public string? StandardsApplied { get; set; }
}

public sealed class NonComplianceAnswers
{
    public string? ReasonNoCeMarking { get; set; }
    public CeMarkingStatus? CeStatus { get; set; }
    /// <summary>When previously marked: certificate and notified body.</summary>
    public string? CertificateDetails { get; set; }
    /// <summary>When in progress: expected date of the certificate.</summary>
    public DateOnly? ExpectedCertificationDate { get; set; }
    /// <summary>When planned: the timeline.</summary>
    public string? PlannedTimeline { get; set; }
    public string? CeMarkingCommitment { get; set; }
    /// <summary>Performance study (IVD) or clinical investigation (MD): where it stands.</summary>
    public string? StudyStatus { get; set; }
    public string? WhyNotInStudy { get; set; }
}

/// <summary>Individual applications only. Initials and year of birth: nothing else identifies the patient.</summary>
public sealed class PatientAnswers
{
    public string? LastNameInitial { get; set; }
    public string? FirstNameInitial { get; set; }
    public int? YearOfBirth { get; set; }
    public string? MedicalContext { get; set; }
    public Urgency? Urgency { get; set; }
    public string? UrgencyJustification { get; set; }
    public string? LifeExpectancy { get; set; }
    public string? NeedJustification { get; set; }
    public string? NoAlternativeJustification { get; set; }
}

/// <summary>The letter's copy recipients: prescriber/user, establishment and its director.</summary>
public sealed class HealthProfessionalsAnswers
{
    public string? PrescriberName { get; set; }
    public string? PrescriberSpecialty { get; set; }
    public string? PrescriberEmail { get; set; }
    public string? PrescriberRpps { get; set; }
    public string? EstablishmentName { get; set; }
    public string? EstablishmentFiness { get; set; }
    public string? EstablishmentAddress { get; set; }
    public string? DirectorName { get; set; }
    public string? DirectorEmail { get; set; }
    /// <summary>The user of the device (who implants or uses it), when not the prescriber: named in the letter and copied.</summary>
    public string? DeviceUserName { get; set; }
    public string? DeviceUserEmail { get; set; }
}

/// <summary>
/// The prescriber's part (docs/domain.md, "The prescriber's part"): the medical justification in their own words,
/// who they are, and their attestation that the patient was informed and consented. Frozen with each version.
/// </summary>
public sealed class PrescriberStatement
{
    public string Name { get; set; } = "";
    public string Specialty { get; set; } = "";
    /// <summary>The 11-digit RPPS number.</summary>
    public string Rpps { get; set; } = "";
    public string Establishment { get; set; } = "";
    public string MedicalJustification { get; set; } = "";
    public bool PatientInformedAndConsented { get; set; }
    public DateTimeOffset CompletedAt { get; set; }
    /// <summary>When the statement answers a reviewer's information request.</summary>
    public Guid? InformationRequestId { get; set; }
}

public sealed class SafetyAnswers
{
    public string? AnalyticalPerformance { get; set; }
    public string? ClinicalPerformance { get; set; }
    public string? PerformanceStudyData { get; set; }
    public string? BenefitRisk { get; set; }
}

public sealed class DeclarationsAnswers
{
    public bool InformationAccurate { get; set; }
    public bool GsprConformity { get; set; }
    public bool PrecautionsTaken { get; set; }
    public bool DocumentsAnonymised { get; set; }
    public bool CommitsToCeMarking { get; set; }
}

public sealed class DeviceReference
{
    public string? Code { get; set; }
    public string? Description { get; set; }
}

/// <summary>The prostheses an annual derogation for partial revisions concerns.</summary>
public enum ProsthesisKind
{
    Joint,
    Dental,
}

/// <summary>What a global derogation covers: unidentified patients meeting criteria, for a period, in France.</summary>
public sealed class GlobalScopeAnswers
{
    /// <summary>
    /// The annual derogation for partial revisions of already implanted joint and dental prostheses (MD only,
    /// 12 months, an annual recap of the elements used): a variant of the global derogation (docs/adr/0006).
    /// </summary>
    public bool AnnualProsthesisRevision { get; set; }
    /// <summary>For the annual derogation: joint or dental prostheses (ANSM publishes the two lists apart).</summary>
    public ProsthesisKind? ProsthesisKind { get; set; }
    public string? TargetPopulation { get; set; }
    public string? NeedJustification { get; set; }
    public string? NoAlternativeJustification { get; set; }
    public DateOnly? ValidFrom { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public int? EstimatedPatients { get; set; }
    /// <summary>Optional: the establishments concerned, one per line.</summary>
    public string? Establishments { get; set; }
}

/// <summary>Derogations already granted for this device, with their qualitative and quantitative assessment.</summary>
public sealed class EarlierDerogationsAnswers
{
    public bool? HasEarlierDerogations { get; set; }
    public List<EarlierDerogation> Derogations { get; set; } = [];
    public string? Assessment { get; set; }
}

public sealed class EarlierDerogation
{
    public string? DecisionReference { get; set; }
    public int? PatientsTreated { get; set; }
    public int? DevicesUsed { get; set; }
    public string? Incidents { get; set; }
}
