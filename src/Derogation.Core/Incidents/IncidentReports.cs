using Derogation.Core.Navigation;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Incidents;

public sealed class IncidentInput
{
    public string? DerogationReference { get; set; }
    public ReporterRole? ReporterRole { get; set; }
    public string? ReporterName { get; set; }
    public string? ReporterEmail { get; set; }
    public bool ConcernsPatient { get; set; }
    public bool RiskOnly { get; set; }
    public int? EventYear { get; set; }
    public DateOnly? EventDate { get; set; }
    public string? Description { get; set; }
}

/// <summary>What a report must say; when it concerns a patient, a year and no more, and the anonymisation rules on the text.</summary>
public sealed partial class IncidentInputValidator : AbstractValidator<IncidentInput>
{
    public IncidentInputValidator(IStringLocalizer l, TimeProvider clock)
    {
        RuleFor(i => i.DerogationReference).NotEmpty().WithMessage(l["IncidentReferenceRequired"])
            .Must(r => r is null || ReferenceShape().IsMatch(r.Trim().ToUpperInvariant())).WithMessage(l["IncidentReferenceFormat"]);
        RuleFor(i => i.ReporterRole).NotNull().WithMessage(l["IncidentRoleRequired"]);
        RuleFor(i => i.ReporterName).NotEmpty().WithMessage(l["FieldRequired", l["IncidentReporterName"]]).MaximumLength(200);
        RuleFor(i => i.ReporterEmail).Cascade(CascadeMode.Stop).NotEmpty().WithMessage(l["FieldRequired", l["IncidentReporterEmail"]])
            .Must(Applications.FieldKinds.IsEmail).WithMessage(l["IncidentEmailInvalid"]);
        RuleFor(i => i.Description).NotEmpty().WithMessage(l["FieldRequired", l["IncidentDescription"]]).MaximumLength(8000);
        // The anonymisation rules: no precise date, no social security number, no title and name of a person.
        When(i => i.ConcernsPatient, () =>
        {
            RuleFor(i => i.Description).PatientFreeText(l, "IncidentDescription");
            RuleFor(i => i.EventYear).NotNull().WithMessage(l["IncidentYearRequired"])
                .InclusiveBetween(2000, clock.GetUtcNow().Year).WithMessage(l["IncidentYearRange", clock.GetUtcNow().Year]);
            RuleFor(i => i.EventDate).Null().WithMessage(l["IncidentNoDateForPatient"]);
        }).Otherwise(() =>
        {
            RuleFor(i => i.Description).OtherFreeText(l, "IncidentDescription");
            RuleFor(i => i.EventDate).LessThanOrEqualTo(FrenchTime.Today(clock)).When(i => i.EventDate is not null).WithMessage(l["IncidentDateInFuture"]);
        });
    }

    // DIV-2026-00042 or DGL-2026-00007, as printed on the decision letter.
    [System.Text.RegularExpressions.GeneratedRegex(@"^(DIV|DGL)-\d{4}-\d{5}$")]
    private static partial System.Text.RegularExpressions.Regex ReferenceShape();
}

/// <summary>
/// Receives incident reports: the derogation must exist and have been granted; the report is saved with its
/// audit event and the messages to ANSM (the reviewer who held the case, or the agency's reviewers) and to the
/// manufacturer, in one transaction.
/// </summary>
public sealed class IncidentReports(DerogationDbContext db, OutboxSignal outbox, TimeProvider clock, IPortalLinks links, IStringLocalizer<CoreText> l)
{
    private static readonly ApplicationStatus[] Granted = [ApplicationStatus.Granted, ApplicationStatus.Suspended, ApplicationStatus.Withdrawn, ApplicationStatus.Expired];

    /// <returns>The report, or null with the validation result's errors when refused.</returns>
    public async Task<(ValidationResult Result, IncidentReport? Report)> ReportAsync(IncidentInput input, Guid? userId)
    {
        var result = await new IncidentInputValidator(l, clock).ValidateAsync(input);
        var reference = input.DerogationReference?.Trim().ToUpperInvariant();
        // Whether a derogation was granted under this reference is not said: the report is kept either way, linked
        // when it was, and listed for ANSM when it was not (a mistyped reference must not lose a vigilance signal).
        var application = reference is null ? null
            : await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && Granted.Contains(a.Status));
        if (!result.IsValid)
        {
            return (result, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow();
        var year = FrenchTime.Today(clock).Year;
        var number = await db.Database.SqlQuery<int>($"""
            INSERT INTO reference_counters (prefix, year, last_number) VALUES ('SIG', {year}, 1)
            ON CONFLICT (prefix, year) DO UPDATE SET last_number = reference_counters.last_number + 1 RETURNING last_number AS "Value"
            """).ToListAsync();
        var report = new IncidentReport
        {
            Id = Guid.NewGuid(),
            Number = $"SIG-{year}-{number[0]:00000}",
            ApplicationId = application?.Id,
            DeclaredReference = reference!,
            ReporterRole = input.ReporterRole!.Value,
            ReporterName = input.ReporterName!.Trim(),
            ReporterEmail = input.ReporterEmail!.Trim(),
            ConcernsPatient = input.ConcernsPatient,
            RiskOnly = input.RiskOnly,
            EventYear = input.ConcernsPatient ? input.EventYear : input.EventDate?.Year ?? input.EventYear,
            EventDate = input.ConcernsPatient ? null : input.EventDate,
            Description = input.Description!.Trim(),
            ReportedAt = now,
            ReportedByUserId = userId,
        };
        db.IncidentReports.Add(report);
        if (application is null)
        {
            db.Record(clock, AuditActions.IncidentReported, userId, nameof(IncidentReport), report.Id.ToString(), report.Number);
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            return (result, report);
        }

        db.Record(clock, AuditActions.IncidentReported, userId, nameof(Application), application.Id.ToString(), report.Number);

        var ansm = await db.Users.AsNoTracking().Where(u => u.Id == application.AssignedReviewerId && u.Email != null).Select(u => u.Email!).ToListAsync();
        var manufacturer = await db.EmailsAsync(application.ManufacturerId);
        var what = report.RiskOnly ? "un risque d'incident" : "un incident";
        foreach (var email in ansm)
        {
            db.Enqueue(clock, email, $"Signalement {report.Number} — dérogation {application.Reference}",
                $"Bonjour,\n\n{what[0..1].ToUpperInvariant()}{what[1..]} a été signalé avec le dispositif utilisé sous la dérogation {application.Reference} (signalement {report.Number}).\n\n" +
                $"{links.CaseFile(application.Reference!, "signalements")}\n\nPortail des dérogations au marquage CE",
                AuditActions.IncidentReported, application.Id);
        }

        foreach (var email in manufacturer)
        {
            db.Enqueue(clock, email, $"Signalement {report.Number} — dérogation {application.Reference} / Incident report",
                $"Bonjour,\n\n{what[0..1].ToUpperInvariant()}{what[1..]} a été signalé à l'ANSM avec le dispositif utilisé sous la dérogation {application.Reference} (signalement {report.Number}). " +
                "Le signalement est consultable sur la page de la demande. Il ne remplace pas vos obligations de matériovigilance ou de réactovigilance.\n\n" +
                $"{links.Application(application.Reference!, "signalements")}\n\nANSM — portail des dérogations au marquage CE",
                AuditActions.IncidentReported, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (result, report);
    }

    public async Task<IReadOnlyList<IncidentReport>> ForAsync(Guid applicationId) =>
        await db.IncidentReports.AsNoTracking().Where(r => r.ApplicationId == applicationId).OrderByDescending(r => r.ReportedAt).ToListAsync();
}
