using System.Text.RegularExpressions;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>
/// One validator per section, used by its wizard step, by the summary and again by submission. Format and
/// anonymisation rules always apply (nothing is saved that breaks them, even in a draft); completeness rules
/// apply when the user continues, and at submission — "save and continue later" skips only those.
/// </summary>
public abstract class SectionValidator<T> : AbstractValidator<T>
{
    protected SectionValidator(IStringLocalizer l, bool requireComplete)
    {
        L = l;
        RequireComplete = requireComplete;
    }

    protected IStringLocalizer L { get; }

    protected bool RequireComplete { get; }

    /// <summary>Mandatory text: required when completing; always within its length and free of identifying data.</summary>
    protected void Text(
        System.Linq.Expressions.Expression<Func<T, string?>> field, string labelKey, int maxLength = 4000, bool required = true, bool patient = false,
        Func<T, PatientInitials?>? initials = null)
    {
        var rule = RuleFor(field);
        if (required && RequireComplete)
        {
            rule.NotEmpty().WithMessage(L["FieldRequired", L[labelKey]]);
        }

        rule.MaximumLength(maxLength).WithMessage(L["FieldTooLong", L[labelKey], maxLength]);
        if (patient)
        {
            rule.PatientFreeText(L, labelKey, initials);
        }
        else
        {
            rule.OtherFreeText(L, labelKey);
        }
    }

    protected void Required<TValue>(System.Linq.Expressions.Expression<Func<T, TValue?>> field, string labelKey)
        where TValue : struct
    {
        if (RequireComplete)
        {
            RuleFor(field).NotNull().WithMessage(L["FieldRequired", L[labelKey]]);
        }
    }

    protected void Email(System.Linq.Expressions.Expression<Func<T, string?>> field, string labelKey, bool required = true)
    {
        var rule = RuleFor(field);
        if (required && RequireComplete)
        {
            rule.NotEmpty().WithMessage(L["FieldRequired", L[labelKey]]);
        }

        rule.Must(value => string.IsNullOrWhiteSpace(value) || FieldKinds.IsEmail(value)).WithMessage(L["FieldEmailInvalid", L[labelKey]])
            .MaximumLength(256).WithMessage(L["FieldTooLong", L[labelKey], 256]);
    }

    /// <summary>A telephone number someone can dial: French (01 23 45 67 89) or international (+33 1 23 45 67 89).</summary>
    protected void Phone(System.Linq.Expressions.Expression<Func<T, string?>> field, string labelKey)
    {
        Text(field, labelKey, 40);
        RuleFor(field).Must(value => string.IsNullOrWhiteSpace(value) || FieldKinds.IsPhone(value))
            .WithMessage((_, value) => L["FieldPhoneInvalid", L[labelKey], value?.Trim() ?? ""]);
    }
}

public sealed class PartiesValidator : SectionValidator<PartiesAnswers>
{
    public PartiesValidator(IStringLocalizer l, bool requireComplete) : base(l, requireComplete)
    {
        Required(p => p.FiledAs, "FieldFiledAs");
        Required(p => p.LegalBasis, "FieldLegalBasis");
        Text(p => p.ContactName, "FieldContactName", 200);
        Email(p => p.ContactEmail, "FieldContactEmail");
        Phone(p => p.ContactPhone, "FieldContactPhone");
        When(p => p.ManufacturerOutsideEu, () =>
        {
            Text(p => p.AuthorisedRepresentativeName, "FieldAuthorisedRepresentativeName", 300);
            Text(p => p.AuthorisedRepresentativeAddress, "FieldAuthorisedRepresentativeAddress", 1000);
            Text(p => p.AuthorisedRepresentativeCountry, "FieldAuthorisedRepresentativeCountry", 100);
            // It receives the letter's copy (MDR Art. 11: the manufacturer's contact point in the Union).
            Email(p => p.AuthorisedRepresentativeEmail, "FieldAuthorisedRepresentativeEmail");
        });
    }
}

public sealed partial class DeviceValidator : SectionValidator<DeviceAnswers>
{
    public static readonly string[] MedicalDeviceClasses = ["I", "IIa", "IIb", "III"];
    public static readonly string[] InVitroDiagnosticClasses = ["A", "B", "C", "D"];

    public DeviceValidator(IStringLocalizer l, bool requireComplete, LegalBasis? legalBasis, ApplicationKind kind = ApplicationKind.Individual) : base(l, requireComplete)
    {
        Text(d => d.TradeName, "FieldTradeName", 300);
        Text(d => d.Model, "FieldModel", 300);
        if (kind == ApplicationKind.Individual)
        {
            Text(d => d.References, "FieldReferences", 2000);
        }
        else
        {
            // A global derogation covers a list of references, each with its description, annexed to the decision.
            if (RequireComplete)
            {
                RuleFor(d => d.ReferenceList).NotEmpty().WithMessage(L["ReferencesNone"]);
            }

            RuleForEach(d => d.ReferenceList).ChildRules(reference =>
            {
                // A row just added is saved empty (the table's round trips save the draft); it must be filled to go on.
                reference.RuleFor(r => r.Code).NotEmpty().When(_ => RequireComplete, ApplyConditionTo.CurrentValidator).WithMessage(L["FieldRequired", L["FieldReferenceCode"]])
                    .MaximumLength(100).WithMessage(L["FieldTooLong", L["FieldReferenceCode"], 100]);
                reference.RuleFor(r => r.Description).MaximumLength(500).WithMessage(L["FieldTooLong", L["FieldReferenceDescription"], 500])
                    .OtherFreeText(L, "FieldReferenceDescription");
            });
            RuleFor(d => d.ReferenceList).Custom((references, context) =>
            {
                foreach (var duplicate in references.Where(r => !string.IsNullOrWhiteSpace(r.Code))
                             .GroupBy(r => r.Code!.Trim(), StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
                {
                    context.AddFailure(L["ReferenceDuplicate", duplicate.Key]);
                }
            });
        }

        RuleFor(d => d.UdiDi).Must(u => string.IsNullOrWhiteSpace(u) || UdiDiFormat().IsMatch(u.Trim()))
            .WithMessage(L["FieldUdiDiInvalid"]);
        var classes = legalBasis == LegalBasis.InVitroDiagnostic ? InVitroDiagnosticClasses : MedicalDeviceClasses;
        if (RequireComplete)
        {
            RuleFor(d => d.RiskClass).NotEmpty().WithMessage(L["FieldRequired", L["FieldRiskClass"]]);
        }

        RuleFor(d => d.RiskClass).Must(c => string.IsNullOrEmpty(c) || classes.Contains(c))
            .WithMessage(L["FieldRiskClassInvalid", string.Join(", ", classes)]);
        Text(d => d.IntendedPurpose, "FieldIntendedPurpose");
        Text(d => d.MethodPrinciple, "FieldMethodPrinciple", required: legalBasis == LegalBasis.InVitroDiagnostic);
        Text(d => d.InterpretationPrinciple, "FieldInterpretationPrinciple", required: legalBasis == LegalBasis.InVitroDiagnostic);
        Text(d => d.StabilityData, "FieldStabilityData", required: legalBasis == LegalBasis.InVitroDiagnostic);
        Text(d => d.StorageConditions, "FieldStorageConditions", required: legalBasis == LegalBasis.InVitroDiagnostic);
        Text(d => d.StandardsApplied, "FieldStandardsApplied", required: false);
    }

    // A UDI-DI: letters, digits and the separators issuing agencies use (GS1, HIBCC, ICCBBA, IFA).
    [GeneratedRegex(@"^[A-Za-z0-9+\-./ ]{1,50}$")]
    private static partial Regex UdiDiFormat();
}

public sealed class NonComplianceValidator : SectionValidator<NonComplianceAnswers>
{
    public NonComplianceValidator(IStringLocalizer l, bool requireComplete, ApplicationKind kind = ApplicationKind.Individual) : base(l, requireComplete)
    {
        Text(n => n.ReasonNoCeMarking, "FieldReasonNoCeMarking");
        Required(n => n.CeStatus, "FieldCeStatus");
        When(n => n.CeStatus == CeMarkingStatus.PreviouslyMarked, () => Text(n => n.CertificateDetails, "FieldCertificateDetails", 2000));
        When(n => n.CeStatus == CeMarkingStatus.InProgress, () => Required(n => n.ExpectedCertificationDate, "FieldExpectedCertificationDate"));
        // A global derogation always states its plan and timeline towards CE marking; an individual one when planned.
        Text(n => n.PlannedTimeline, "FieldPlannedTimeline", required: false);
        if (RequireComplete)
        {
            RuleFor(n => n.PlannedTimeline).NotEmpty()
                .When(n => kind == ApplicationKind.Global || n.CeStatus == CeMarkingStatus.Planned)
                .WithMessage(L["FieldRequired", L["FieldPlannedTimeline"]]);
        }

        Text(n => n.CeMarkingCommitment, "FieldCeMarkingCommitment");
        Text(n => n.StudyStatus, "FieldStudyStatus");
        // For one patient, why they cannot join a study describes the patient: the patient rules apply.
        Text(n => n.WhyNotInStudy, "FieldWhyNotInStudy", patient: kind == ApplicationKind.Individual);
    }
}

public sealed class PatientValidator : SectionValidator<PatientAnswers>
{
    public PatientValidator(IStringLocalizer l, bool requireComplete, TimeProvider clock) : base(l, requireComplete)
    {
        // Initials and year of birth are checked even when saving for later: a draft never holds a name.
        RuleFor(p => p.LastNameInitial).PatientInitial(L, "FieldLastNameInitial").When(p => RequireComplete || !string.IsNullOrWhiteSpace(p.LastNameInitial));
        RuleFor(p => p.FirstNameInitial).PatientInitial(L, "FieldFirstNameInitial").When(p => RequireComplete || !string.IsNullOrWhiteSpace(p.FirstNameInitial));
        RuleFor(p => p.YearOfBirth).YearOfBirth(L, clock).When(p => RequireComplete || p.YearOfBirth is not null);
        Text(p => p.MedicalContext, "FieldMedicalContext", patient: true, initials: Initials);
        Required(p => p.Urgency, "FieldUrgency");
        Text(p => p.UrgencyJustification, "FieldUrgencyJustification", required: false, patient: true, initials: Initials);
        if (RequireComplete)
        {
            // Why it cannot wait is required when it cannot wait.
            RuleFor(p => p.UrgencyJustification).NotEmpty()
                .When(p => p.Urgency is Applications.Urgency.VitalEmergency or Applications.Urgency.Urgent)
                .WithMessage(L["FieldRequired", L["FieldUrgencyJustification"]]);
        }
        Text(p => p.LifeExpectancy, "FieldLifeExpectancy", 1000, required: false, patient: true, initials: Initials);
        Text(p => p.NeedJustification, "FieldNeedJustification", patient: true, initials: Initials);
        Text(p => p.NoAlternativeJustification, "FieldNoAlternativeJustification", patient: true, initials: Initials);
    }

    private static PatientInitials Initials(PatientAnswers patient) => new(patient.LastNameInitial, patient.FirstNameInitial);
}

public sealed partial class HealthProfessionalsValidator : SectionValidator<HealthProfessionalsAnswers>
{
    public HealthProfessionalsValidator(IStringLocalizer l, bool requireComplete) : base(l, requireComplete)
    {
        Text(h => h.PrescriberName, "FieldPrescriberName", 200);
        Text(h => h.PrescriberSpecialty, "FieldPrescriberSpecialty", 200);
        Email(h => h.PrescriberEmail, "FieldPrescriberEmail");
        RuleFor(h => h.PrescriberRpps).Must(r => string.IsNullOrWhiteSpace(r) || Rpps().IsMatch(r.Replace(" ", "", StringComparison.Ordinal)))
            .WithMessage(L["FieldRppsInvalid"]);
        Text(h => h.EstablishmentName, "FieldEstablishmentName", 300);
        if (RequireComplete)
        {
            RuleFor(h => h.EstablishmentFiness).NotEmpty().WithMessage(L["FieldRequired", L["FieldEstablishmentFiness"]]);
        }

        RuleFor(h => h.EstablishmentFiness).Must(f => string.IsNullOrWhiteSpace(f) || Finess().IsMatch(f.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant()))
            .WithMessage(L["FieldFinessInvalid"]);
        Text(h => h.EstablishmentAddress, "FieldEstablishmentAddress", 1000);
        Text(h => h.DirectorName, "FieldDirectorName", 200);
        Email(h => h.DirectorEmail, "FieldDirectorEmail");
        // The device's user, when not the prescriber (a surgeon who implants it): optional, but named if given an address.
        Text(h => h.DeviceUserName, "FieldDeviceUserName", 200, required: false);
        Email(h => h.DeviceUserEmail, "FieldDeviceUserEmail", required: false);
        RuleFor(h => h.DeviceUserName).NotEmpty().When(h => !string.IsNullOrWhiteSpace(h.DeviceUserEmail)).WithMessage(L["DeviceUserEmailWithoutName"]);
    }

    // RPPS: 11 digits.
    [GeneratedRegex(@"^\d{11}$")]
    private static partial Regex Rpps();

    // FINESS: 9 characters, digits, Corsica departments 2A/2B in first position.
    [GeneratedRegex(@"^(?:\d{9}|2[AB]\d{7})$")]
    private static partial Regex Finess();
}

public sealed class SafetyValidator : SectionValidator<SafetyAnswers>
{
    /// <summary>Analytical performance is an IVD notion (IVDR Annex I): asked of IVD applications only.</summary>
    public SafetyValidator(IStringLocalizer l, bool requireComplete, LegalBasis? legalBasis = null) : base(l, requireComplete)
    {
        Text(s => s.AnalyticalPerformance, "FieldAnalyticalPerformance", required: legalBasis != LegalBasis.MedicalDevice);
        Text(s => s.ClinicalPerformance, "FieldClinicalPerformance");
        Text(s => s.PerformanceStudyData, "FieldPerformanceStudyData", required: false);
        Text(s => s.BenefitRisk, "FieldBenefitRisk");
    }
}

public sealed class DeclarationsValidator : SectionValidator<DeclarationsAnswers>
{
    /// <param name="annualProsthesis">The annual prosthesis derogation covers discontinued parts that will never be CE-marked: no commitment to CE marking is asked.</param>
    public DeclarationsValidator(IStringLocalizer l, bool requireComplete, ApplicationKind kind = ApplicationKind.Individual, bool annualProsthesis = false) : base(l, requireComplete)
    {
        if (RequireComplete)
        {
            RuleFor(d => d.InformationAccurate).Equal(true).WithMessage(L["DeclarationRequired", L["FieldInformationAccurate"]]);
            RuleFor(d => d.GsprConformity).Equal(true).WithMessage(L["DeclarationRequired", L["FieldGsprConformity"]]);
            RuleFor(d => d.PrecautionsTaken).Equal(true).WithMessage(L["DeclarationRequired", L["FieldPrecautionsTaken"]]);
            // A global derogation concerns no identified patient: there is nothing to anonymise.
            RuleFor(d => d.DocumentsAnonymised).Equal(true).When(_ => kind == ApplicationKind.Individual)
                .WithMessage(L["DeclarationRequired", L["FieldDocumentsAnonymised"]]);
            RuleFor(d => d.CommitsToCeMarking).Equal(true).When(_ => !annualProsthesis).WithMessage(L["DeclarationRequired", L["FieldCommitsToCeMarking"]]);
        }
    }
}
