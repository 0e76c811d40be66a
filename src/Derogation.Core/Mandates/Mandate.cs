using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Mandates;

public enum MandateStatus
{
    /// <summary>A signed letter uploaded by the consultancy, for a manufacturer not yet registered, awaiting an administrator.</summary>
    PendingVerification,
    Active,
    Rejected,
    Revoked,
}

/// <summary>
/// A manufacturer's mandate to a consultancy to file on its behalf, from/until given dates, optionally
/// limited in scope. Granted by the manufacturer in the portal, or evidenced by a signed letter that an
/// administrator verifies.
/// </summary>
public sealed class Mandate
{
    public Guid Id { get; set; }
    public Guid ConsultancyId { get; set; }
    public Organisation Consultancy { get; set; } = null!;
    /// <summary>Null while a letter for an unregistered manufacturer awaits verification.</summary>
    public Guid? ManufacturerId { get; set; }
    public Organisation? Manufacturer { get; set; }
    /// <summary>The manufacturer as named in an uploaded letter (legal name, address, country).</summary>
    public string? DeclaredManufacturerName { get; set; }
    public string? DeclaredManufacturerAddress { get; set; }
    public string? DeclaredManufacturerCountry { get; set; }
    public string? DeclaredManufacturerSrn { get; set; }
    /// <summary>The manufacturer's regulatory contact: invited to claim the organisation once the letter is verified.</summary>
    public string? DeclaredManufacturerEmail { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidUntil { get; set; }
    public string? Scope { get; set; }
    public MandateStatus Status { get; set; }
    public string? LetterFileName { get; set; }
    public byte[]? LetterContent { get; set; }
    public string? DecisionReason { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public Guid? DecidedByUserId { get; set; }

    public bool IsInForce(DateOnly today) =>
        Status == MandateStatus.Active && ValidFrom <= today && (ValidUntil is null || today <= ValidUntil);
}

internal sealed class MandateConfiguration : IEntityTypeConfiguration<Mandate>
{
    public void Configure(EntityTypeBuilder<Mandate> builder)
    {
        builder.ToTable("mandates");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(m => m.DeclaredManufacturerName).HasMaxLength(300);
        builder.Property(m => m.DeclaredManufacturerAddress).HasMaxLength(1000);
        builder.Property(m => m.DeclaredManufacturerCountry).HasMaxLength(100);
        builder.Property(m => m.DeclaredManufacturerSrn).HasMaxLength(20);
        builder.Property(m => m.DeclaredManufacturerEmail).HasMaxLength(256);
        builder.Property(m => m.Scope).HasMaxLength(1000);
        builder.Property(m => m.LetterFileName).HasMaxLength(255);
        builder.Property(m => m.DecisionReason).HasMaxLength(2000);
        builder.HasOne(m => m.Consultancy).WithMany().HasForeignKey(m => m.ConsultancyId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(m => m.Manufacturer).WithMany().HasForeignKey(m => m.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => new { m.ConsultancyId, m.Status });
    }
}
