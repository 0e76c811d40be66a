using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>A global derogation: unidentified patients, a population, a period. No patient data at all.</summary>
public sealed class GlobalScopeValidator : SectionValidator<GlobalScopeAnswers>
{
    public GlobalScopeValidator(IStringLocalizer l, bool requireComplete, ApplicationRules rules, LegalBasis? legalBasis = null) : base(l, requireComplete)
    {
        // The annual prosthesis derogation: medical devices only, and twelve months exactly (docs/adr/0006).
        RuleFor(g => g.AnnualProsthesisRevision).Must(annual => !annual || legalBasis != LegalBasis.InVitroDiagnostic)
            .WithMessage(L["AnnualProsthesisMedicalDeviceOnly"]);
        RuleFor(g => g.ValidUntil).Must((g, until) => until == AnnualEnd(g.ValidFrom!.Value))
            .When(g => g.AnnualProsthesisRevision && g.ValidFrom is not null && g.ValidUntil is not null)
            .WithMessage((g, _) => L["AnnualProsthesisTwelveMonths", AnnualEnd(g.ValidFrom!.Value).ToString("d", System.Globalization.CultureInfo.CurrentCulture)]);
        RuleFor(g => g.ProsthesisKind).NotNull().When(g => g.AnnualProsthesisRevision && requireComplete)
            .WithMessage(L["FieldRequired", L["FieldProsthesisKind"]]);
        Text(g => g.TargetPopulation, "FieldTargetPopulation");
        Text(g => g.NeedJustification, "FieldGlobalNeedJustification");
        Text(g => g.NoAlternativeJustification, "FieldNoAlternativeJustification");
        Required(g => g.ValidFrom, "FieldValidFrom");
        Required(g => g.ValidUntil, "FieldValidUntil");
        RuleFor(g => g.ValidUntil).Must((g, until) => until > g.ValidFrom).When(g => g.ValidFrom is not null && g.ValidUntil is not null)
            .WithMessage(L["ValidityEndBeforeStart"]);
        RuleFor(g => g.ValidUntil).Must((g, until) => until <= g.ValidFrom!.Value.AddMonths(rules.GlobalMaxValidityMonths))
            .When(g => g.ValidFrom is not null && g.ValidUntil > g.ValidFrom)
            .WithMessage(L["ValidityTooLong", rules.GlobalMaxValidityMonths]);
        Required(g => g.EstimatedPatients, "FieldEstimatedPatients");
        RuleFor(g => g.EstimatedPatients).GreaterThan(0).When(g => g.EstimatedPatients is not null)
            .WithMessage(L["EstimatedPatientsInvalid"]);
        Text(g => g.Establishments, "FieldEstablishments", required: false);
    }

    /// <summary>The last day of a twelve-month period starting on <paramref name="from"/>.</summary>
    public static DateOnly AnnualEnd(DateOnly from) => from.AddMonths(12).AddDays(-1);
}

public sealed class EarlierDerogationsValidator : SectionValidator<EarlierDerogationsAnswers>
{
    public EarlierDerogationsValidator(IStringLocalizer l, bool requireComplete) : base(l, requireComplete)
    {
        Required(e => e.HasEarlierDerogations, "FieldHasEarlierDerogations");
        When(e => e.HasEarlierDerogations == true, () =>
        {
            if (RequireComplete)
            {
                RuleFor(e => e.Derogations).NotEmpty().WithMessage(L["EarlierDerogationsNone"]);
            }

            RuleForEach(e => e.Derogations).ChildRules(derogation =>
            {
                if (RequireComplete)
                {
                    derogation.RuleFor(d => d.DecisionReference).NotEmpty().WithMessage(L["FieldRequired", L["FieldDecisionReference"]]);
                    derogation.RuleFor(d => d.PatientsTreated).NotNull().WithMessage(L["FieldRequired", L["FieldPatientsTreated"]]);
                    derogation.RuleFor(d => d.DevicesUsed).NotNull().WithMessage(L["FieldRequired", L["FieldDevicesUsed"]]);
                    derogation.RuleFor(d => d.Incidents).NotEmpty().WithMessage(L["FieldRequired", L["FieldIncidents"]]);
                }

                derogation.RuleFor(d => d.DecisionReference).MaximumLength(100).WithMessage(L["FieldTooLong", L["FieldDecisionReference"], 100]);
                derogation.RuleFor(d => d.PatientsTreated).GreaterThanOrEqualTo(0).WithMessage(L["NumberNotNegative", L["FieldPatientsTreated"]]);
                derogation.RuleFor(d => d.DevicesUsed).GreaterThanOrEqualTo(0).WithMessage(L["NumberNotNegative", L["FieldDevicesUsed"]]);
                derogation.RuleFor(d => d.Incidents).MaximumLength(4000).WithMessage(L["FieldTooLong", L["FieldIncidents"], 4000])
                    .OtherFreeText(L, "FieldIncidents");
            });
            Text(e => e.Assessment, "FieldEarlierAssessment");
        });
    }
}
