using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Incidents;

public enum ReporterRole
{
    Prescriber,
    Establishment,
    Manufacturer,
}

/// <summary>
/// An incident, or a risk of incident, with a device used under a derogation — reported to ANSM and the
/// manufacturer. When it concerns a patient, its date is the year only and its text passes the anonymisation
/// rules (docs/domain.md §6). It does not replace the national vigilance channels.
/// </summary>
public sealed class IncidentReport
{
    public Guid Id { get; set; }
    /// <summary>SIG-2026-00001.</summary>
    public required string Number { get; set; }
    /// <summary>The derogation granted under <see cref="DeclaredReference"/>; null when none was (ANSM sorts it out).</summary>
    public Guid? ApplicationId { get; set; }
    /// <summary>The reference as the reporter gave it (upper case).</summary>
    public required string DeclaredReference { get; set; }
    public ReporterRole ReporterRole { get; set; }
    public required string ReporterName { get; set; }
    public required string ReporterEmail { get; set; }
    public bool ConcernsPatient { get; set; }
    /// <summary>Always the year only when it concerns a patient.</summary>
    public int? EventYear { get; set; }
    public DateOnly? EventDate { get; set; }
    public bool RiskOnly { get; set; }
    public required string Description { get; set; }
    public DateTimeOffset ReportedAt { get; set; }
    /// <summary>Set when a signed-in user reported it.</summary>
    public Guid? ReportedByUserId { get; set; }
}

internal sealed class IncidentReportConfiguration : IEntityTypeConfiguration<IncidentReport>
{
    public void Configure(EntityTypeBuilder<IncidentReport> builder)
    {
        builder.ToTable("incident_reports");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Number).HasMaxLength(20);
        builder.Property(r => r.DeclaredReference).HasMaxLength(20);
        builder.HasIndex(r => r.Number).IsUnique();
        builder.Property(r => r.ReporterRole).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.ReporterName).HasMaxLength(200);
        builder.Property(r => r.ReporterEmail).HasMaxLength(320);
        builder.Property(r => r.Description).HasMaxLength(8000);
        builder.HasIndex(r => r.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
