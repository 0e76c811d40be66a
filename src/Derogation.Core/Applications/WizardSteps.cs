using FluentValidation;
using FluentValidation.Results;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>One step of a wizard: its address, its title, the section it fills and that section's validator.</summary>
public sealed record WizardStep(
    string Slug, string TitleKey, Func<ApplicationAnswers, object> Section, Func<ApplicationAnswers, IStringLocalizer, TimeProvider, bool, ValidationResult> Validate);

/// <summary>
/// The ordered steps of each wizard: the single source of truth for navigation, for "a step cannot be opened
/// before the ones before it are complete", and for the summary's change links. Steps shared by the two
/// kinds are the same objects; the global wizard lists its own where it differs.
/// </summary>
public static class WizardSteps
{
    public const string Summary = "recapitulatif";

    public static readonly WizardStep Parties = new("parties", "StepParties", a => a.Parties,
        (a, l, _, complete) => new PartiesValidator(l, complete).Validate(a.Parties));

    public static readonly WizardStep Device = new("dispositif", "StepDevice", a => a.Device,
        (a, l, _, complete) => new DeviceValidator(l, complete, a.Parties.LegalBasis).Validate(a.Device));

    public static readonly WizardStep NonCompliance = new("marquage-ce", "StepNonCompliance", a => a.NonCompliance,
        (a, l, _, complete) => new NonComplianceValidator(l, complete).Validate(a.NonCompliance));

    public static readonly WizardStep Patient = new("patient", "StepPatient", a => a.Patient,
        (a, l, clock, complete) => new PatientValidator(l, complete, clock).Validate(a.Patient));

    public static readonly WizardStep HealthProfessionals = new("professionnels", "StepHealthProfessionals", a => a.HealthProfessionals,
        (a, l, _, complete) => new HealthProfessionalsValidator(l, complete).Validate(a.HealthProfessionals));

    public static readonly WizardStep Safety = new("securite-performances", "StepSafety", a => a.Safety,
        (a, l, _, complete) => new SafetyValidator(l, complete).Validate(a.Safety));

    public static readonly WizardStep IndividualDocuments = new("documents", "StepDocuments", a => a.Documents,
        (a, l, _, complete) => new Documents.DocumentsValidator(l, complete, ApplicationKind.Individual).Validate(a));

    public static readonly WizardStep Declarations = new("declarations", "StepDeclarations", a => a.Declarations,
        (a, l, _, complete) => new DeclarationsValidator(l, complete).Validate(a.Declarations));

    public static IReadOnlyList<WizardStep> For(ApplicationKind kind) => kind switch
    {
        ApplicationKind.Individual => [Parties, Device, NonCompliance, Patient, HealthProfessionals, Safety, IndividualDocuments, Declarations],
        _ => throw new NotSupportedException("The global wizard has its own issue."),
    };

    /// <summary>The first step not yet complete, or null when every step is.</summary>
    public static WizardStep? FirstIncomplete(ApplicationKind kind, ApplicationAnswers answers, IStringLocalizer l, TimeProvider clock) =>
        For(kind).FirstOrDefault(step => !step.Validate(answers, l, clock, true).IsValid);

    /// <summary>A step may be opened once every step before it is complete.</summary>
    public static bool CanOpen(ApplicationKind kind, string slug, ApplicationAnswers answers, IStringLocalizer l, TimeProvider clock)
    {
        foreach (var step in For(kind))
        {
            if (step.Slug == slug)
            {
                return true;
            }

            if (!step.Validate(answers, l, clock, true).IsValid)
            {
                return false;
            }
        }

        return slug == Summary;
    }
}
