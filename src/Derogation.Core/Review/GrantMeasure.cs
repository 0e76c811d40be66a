using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

public enum GrantMeasureKind
{
    Suspension,
    Reinstatement,
    Withdrawal,
    /// <summary>Twelve more months for an annual prosthesis derogation, after its recap (docs/adr/0006).</summary>
    Extension,
}

/// <summary>
/// What ANSM decides about a derogation after granting it (docs/domain.md §4): suspend it, lift the suspension, or
/// withdraw it — always with reasons, a signatory and its own reasoned letter.
/// </summary>
public sealed class GrantMeasure
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public GrantMeasureKind Kind { get; set; }
    public required string Reasons { get; set; }
    public Guid SignatoryUserId { get; set; }
    public required string SignatoryName { get; set; }
    public required string SignatoryTitle { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    public Guid DecidedByUserId { get; set; }
    public required string VerificationCode { get; set; }
    public Guid LetterDocumentId { get; set; }
    /// <summary>For an extension: the new end of validity.</summary>
    public DateOnly? NewValidUntil { get; set; }
}

internal sealed class GrantMeasureConfiguration : IEntityTypeConfiguration<GrantMeasure>
{
    public void Configure(EntityTypeBuilder<GrantMeasure> builder)
    {
        builder.ToTable("grant_measures");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Reasons).HasMaxLength(20000);
        builder.Property(m => m.SignatoryName).HasMaxLength(200);
        builder.Property(m => m.SignatoryTitle).HasMaxLength(200);
        builder.Property(m => m.VerificationCode).HasMaxLength(32);
        builder.HasIndex(m => m.VerificationCode).IsUnique();
        builder.HasIndex(m => m.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
