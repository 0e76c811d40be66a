using FluentValidation.Results;

namespace Derogation.Core.Applications;

/// <summary>
/// The stable names of the wizards' steps: what information requests store (the sections an applicant may amend)
/// and what the web project maps to each step's page. Never change one without a data migration.
/// </summary>
public static class StepNames
{
    public const string Parties = "Parties";
    public const string Device = "Device";
    public const string NonCompliance = "NonCompliance";
    public const string Patient = "Patient";
    public const string HealthProfessionals = "HealthProfessionals";
    public const string GlobalScope = "GlobalScope";
    public const string EarlierDerogations = "EarlierDerogations";
    public const string Safety = "Safety";
    public const string Documents = "Documents";
    public const string Declarations = "Declarations";
}

/// <summary>One step of a wizard: its stable name (<see cref="StepNames"/>), its title, the section it fills and that section's validator.</summary>
public sealed record WizardStep(
    string Name, string TitleKey, Func<ApplicationAnswers, object> Section, Func<ApplicationAnswers, RuleContext, bool, ValidationResult> Validate);

/// <summary>
/// The ordered steps of each wizard: the single source of truth for navigation, for "a step cannot be opened
/// before the ones before it are complete", and for the summary's change links. A step shared by the two kinds
/// is one object; where the kinds differ (references, timeline, documents, declarations) each has its own,
/// under the same address, drawn by the same page.
/// </summary>
public static class WizardSteps
{
    public static readonly WizardStep Parties = new(StepNames.Parties, "StepParties", a => a.Parties,
        (a, c, complete) => new PartiesValidator(c.L, complete).Validate(a.Parties));

    public static readonly WizardStep Safety = new(StepNames.Safety, "StepSafety", a => a.Safety,
        (a, c, complete) => new SafetyValidator(c.L, complete, a.Parties.LegalBasis).Validate(a.Safety));

    public static readonly WizardStep Patient = new(StepNames.Patient, "StepPatient", a => a.Patient,
        (a, c, complete) => new PatientValidator(c.L, complete, c.Clock).Validate(a.Patient));

    public static readonly WizardStep HealthProfessionals = new(StepNames.HealthProfessionals, "StepHealthProfessionals", a => a.HealthProfessionals,
        (a, c, complete) => new HealthProfessionalsValidator(c.L, complete).Validate(a.HealthProfessionals));

    public static readonly WizardStep GlobalScope = new(StepNames.GlobalScope, "StepGlobalScope", a => a.GlobalScope,
        (a, c, complete) => new GlobalScopeValidator(c.L, complete, c.Rules, a.Parties.LegalBasis).Validate(a.GlobalScope));

    public static readonly WizardStep EarlierDerogations = new(StepNames.EarlierDerogations, "StepEarlierDerogations", a => a.EarlierDerogations,
        (a, c, complete) => new EarlierDerogationsValidator(c.L, complete).Validate(a.EarlierDerogations));

    private static readonly IReadOnlyList<WizardStep> Individual =
    [
        Parties, Device(ApplicationKind.Individual), NonCompliance(ApplicationKind.Individual), Patient, HealthProfessionals, Safety,
        Documents(ApplicationKind.Individual), Declarations(ApplicationKind.Individual),
    ];

    private static readonly IReadOnlyList<WizardStep> Global =
    [
        Parties, Device(ApplicationKind.Global), NonCompliance(ApplicationKind.Global), GlobalScope, EarlierDerogations, Safety,
        Documents(ApplicationKind.Global), Declarations(ApplicationKind.Global),
    ];

    public static IReadOnlyList<WizardStep> For(ApplicationKind kind) => kind == ApplicationKind.Individual ? Individual : Global;

    /// <summary>The step of this wizard with this name, or null when the wizard has no such step.</summary>
    public static WizardStep? Find(ApplicationKind kind, string name) => For(kind).SingleOrDefault(s => s.Name == name);

    /// <summary>The first step not yet complete, or null when every step is.</summary>
    public static WizardStep? FirstIncomplete(ApplicationKind kind, ApplicationAnswers answers, RuleContext context) =>
        For(kind).FirstOrDefault(step => !step.Validate(answers, context, true).IsValid);

    /// <summary>A step may be opened once every step before it is complete.</summary>
    public static bool CanOpen(ApplicationKind kind, string name, ApplicationAnswers answers, RuleContext context)
    {
        foreach (var step in For(kind))
        {
            if (step.Name == name)
            {
                return true;
            }

            if (!step.Validate(answers, context, true).IsValid)
            {
                return false;
            }
        }

        return false;
    }

    private static WizardStep Device(ApplicationKind kind) => new(StepNames.Device, "StepDevice", a => a.Device,
        (a, c, complete) => new DeviceValidator(c.L, complete, a.Parties.LegalBasis, kind).Validate(a.Device));

    private static WizardStep NonCompliance(ApplicationKind kind) => new(StepNames.NonCompliance, "StepNonCompliance", a => a.NonCompliance,
        (a, c, complete) => new NonComplianceValidator(c.L, complete, kind).Validate(a.NonCompliance));

    private static WizardStep Documents(ApplicationKind kind) => new(StepNames.Documents, "StepDocuments", a => a.Documents,
        (a, c, complete) => new Documents.DocumentsValidator(c.L, complete, kind).Validate(a));

    private static WizardStep Declarations(ApplicationKind kind) => new(StepNames.Declarations, "StepDeclarations", a => a.Declarations,
        (a, c, complete) => new DeclarationsValidator(c.L, complete, kind, kind == ApplicationKind.Global && a.GlobalScope.AnnualProsthesisRevision).Validate(a.Declarations));
}
