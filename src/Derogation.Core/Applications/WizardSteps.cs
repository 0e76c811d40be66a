using FluentValidation.Results;

namespace Derogation.Core.Applications;

/// <summary>One step of a wizard: its address, its title, the section it fills and that section's validator.</summary>
public sealed record WizardStep(
    string Slug, string TitleKey, Func<ApplicationAnswers, object> Section, Func<ApplicationAnswers, RuleContext, bool, ValidationResult> Validate);

/// <summary>
/// The ordered steps of each wizard: the single source of truth for navigation, for "a step cannot be opened
/// before the ones before it are complete", and for the summary's change links. A step shared by the two kinds
/// is one object; where the kinds differ (references, timeline, documents, declarations) each has its own,
/// under the same address, drawn by the same page.
/// </summary>
public static class WizardSteps
{
    public const string Summary = "recapitulatif";

    public static readonly WizardStep Parties = new("parties", "StepParties", a => a.Parties,
        (a, c, complete) => new PartiesValidator(c.L, complete).Validate(a.Parties));

    public static readonly WizardStep Safety = new("securite-performances", "StepSafety", a => a.Safety,
        (a, c, complete) => new SafetyValidator(c.L, complete).Validate(a.Safety));

    public static readonly WizardStep Patient = new("patient", "StepPatient", a => a.Patient,
        (a, c, complete) => new PatientValidator(c.L, complete, c.Clock).Validate(a.Patient));

    public static readonly WizardStep HealthProfessionals = new("professionnels", "StepHealthProfessionals", a => a.HealthProfessionals,
        (a, c, complete) => new HealthProfessionalsValidator(c.L, complete).Validate(a.HealthProfessionals));

    public static readonly WizardStep GlobalScope = new("perimetre", "StepGlobalScope", a => a.GlobalScope,
        (a, c, complete) => new GlobalScopeValidator(c.L, complete, c.Rules, a.Parties.LegalBasis).Validate(a.GlobalScope));

    public static readonly WizardStep EarlierDerogations = new("derogations-anterieures", "StepEarlierDerogations", a => a.EarlierDerogations,
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

    /// <summary>The step of this wizard at this address, or null when the wizard has no such step.</summary>
    public static WizardStep? Find(ApplicationKind kind, string slug) => For(kind).SingleOrDefault(s => s.Slug == slug);

    /// <summary>The first step not yet complete, or null when every step is.</summary>
    public static WizardStep? FirstIncomplete(ApplicationKind kind, ApplicationAnswers answers, RuleContext context) =>
        For(kind).FirstOrDefault(step => !step.Validate(answers, context, true).IsValid);

    /// <summary>A step may be opened once every step before it is complete.</summary>
    public static bool CanOpen(ApplicationKind kind, string slug, ApplicationAnswers answers, RuleContext context)
    {
        foreach (var step in For(kind))
        {
            if (step.Slug == slug)
            {
                return true;
            }

            if (!step.Validate(answers, context, true).IsValid)
            {
                return false;
            }
        }

        return slug == Summary;
    }

    private static WizardStep Device(ApplicationKind kind) => new("dispositif", "StepDevice", a => a.Device,
        (a, c, complete) => new DeviceValidator(c.L, complete, a.Parties.LegalBasis, kind).Validate(a.Device));

    private static WizardStep NonCompliance(ApplicationKind kind) => new("marquage-ce", "StepNonCompliance", a => a.NonCompliance,
        (a, c, complete) => new NonComplianceValidator(c.L, complete, kind).Validate(a.NonCompliance));

    private static WizardStep Documents(ApplicationKind kind) => new("documents", "StepDocuments", a => a.Documents,
        (a, c, complete) => new Documents.DocumentsValidator(c.L, complete, kind).Validate(a));

    private static WizardStep Declarations(ApplicationKind kind) => new("declarations", "StepDeclarations", a => a.Declarations,
        (a, c, complete) => new DeclarationsValidator(c.L, complete, kind).Validate(a.Declarations));
}
