using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>
/// A use of a granted derogation, as the manufacturer declares it: the year, the establishment and how many patients —
/// nothing that identifies anyone. Counted against a "maximum patients" condition.
/// </summary>
public sealed class UsageDeclaration
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public int Year { get; set; }
    public required string Establishment { get; set; }
    public int Patients { get; set; }
    public DateTimeOffset DeclaredAt { get; set; }
    public Guid DeclaredByUserId { get; set; }
}

internal sealed class UsageDeclarationConfiguration : IEntityTypeConfiguration<UsageDeclaration>
{
    public void Configure(EntityTypeBuilder<UsageDeclaration> builder)
    {
        builder.ToTable("usage_declarations");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Establishment).HasMaxLength(UsageDeclarations.MaxEstablishmentLength);
        builder.HasIndex(u => u.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(u => u.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public enum UsageError
{
    None,
    NotFound,
    YearInvalid,
    EstablishmentRequired,
    EstablishmentTooLong,
    /// <summary>The establishment's text names a person or a date (the patient rules).</summary>
    Identifying,
    PatientsInvalid,
    /// <summary>The declaration would take the uses beyond the condition's maximum: an amendment is needed first.</summary>
    OverMaximum,
}

/// <summary>Used against authorised: the declarations of a derogation and its maximum (null when the decision set none).</summary>
public sealed record UsageSummary(int Used, int? Maximum, IReadOnlyList<UsageDeclaration> Declarations);

/// <summary>Declarations of use of a granted derogation (docs/domain.md §4): by its filer or its manufacturer, while it is granted.</summary>
public sealed class UsageDeclarations(DerogationDbContext db, TimeProvider clock)
{
    public const int MaxEstablishmentLength = 200;

    public async Task<UsageSummary> SummaryAsync(Guid applicationId)
    {
        var declarations = await db.UsageDeclarations.AsNoTracking().Where(u => u.ApplicationId == applicationId)
            .OrderBy(u => u.Year).ThenBy(u => u.DeclaredAt).ToListAsync();
        var granted = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId && d.Outcome == DecisionOutcome.Grant);
        return new UsageSummary(declarations.Sum(u => u.Patients), granted?.Conditions.MaxPatients, declarations);
    }

    public async Task<(UsageError Error, IReadOnlyList<AnonymisationFinding> Findings)> DeclareAsync(
        string reference, Viewer viewer, int? year, string? establishment, int? patients)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Declarations of one derogation queue on its row: two at once cannot both pass under the maximum.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.FindVisibleAsync(reference, viewer);
        if (application is null || application.Status != ApplicationStatus.Granted)
        {
            return (UsageError.NotFound, []);
        }

        var granted = await db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == application.Id && d.Outcome == DecisionOutcome.Grant);
        var thisYear = FrenchTime.Today(clock).Year;
        if (year is not { } y || y < FrenchTime.InParis(granted.DecidedAt).Year || y > thisYear)
        {
            return (UsageError.YearInvalid, []);
        }

        if (string.IsNullOrWhiteSpace(establishment))
        {
            return (UsageError.EstablishmentRequired, []);
        }

        if (establishment.Trim().Length > MaxEstablishmentLength)
        {
            return (UsageError.EstablishmentTooLong, []);
        }

        // An establishment is named, never a person: the patient rules apply (titles and names, dates, NIR).
        var findings = Anonymisation.InPatientText(establishment);
        if (findings.Count > 0)
        {
            return (UsageError.Identifying, findings);
        }

        if (patients is not > 0)
        {
            return (UsageError.PatientsInvalid, []);
        }

        var used = await db.UsageDeclarations.Where(u => u.ApplicationId == application.Id).SumAsync(u => (int?)u.Patients) ?? 0;
        if (granted.Conditions.MaxPatients is { } maximum && used + patients > maximum)
        {
            return (UsageError.OverMaximum, []);
        }

        db.UsageDeclarations.Add(new UsageDeclaration
        {
            Id = Guid.NewGuid(), ApplicationId = application.Id, Year = y, Establishment = establishment.Trim(), Patients = patients.Value,
            DeclaredAt = clock.GetUtcNow(), DeclaredByUserId = viewer.UserId,
        });
        db.Record(clock, AuditActions.UsageDeclared, viewer.UserId, nameof(Application), application.Id.ToString(), $"{patients} patient(s), {y}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return (UsageError.None, []);
    }
}
