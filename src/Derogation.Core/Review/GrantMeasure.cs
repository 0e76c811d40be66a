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
    /// <summary>New conditions (maximum patients, establishments, follow-up, restrictions) replacing the grant's; the validity is not changed by it.</summary>
    Amendment,
}

/// <summary>
/// What ANSM decides about a derogation after granting it (docs/domain.md §4): suspend it, lift the suspension,
/// withdraw it, extend an annual one or amend its conditions — always with reasons, a signatory and its own reasoned letter.
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
    /// <summary>For an amendment: the conditions as they stand from it (the decision row holds them too: the register and the expiry job read it).</summary>
    public DecisionConditions? Conditions { get; set; }
    /// <summary>For an amendment: the conditions it replaced.</summary>
    public DecisionConditions? PreviousConditions { get; set; }
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
        builder.Property(m => m.Conditions).HasColumnType("jsonb").HasConversion(ConditionsJson.Converter);
        builder.Property(m => m.PreviousConditions).HasColumnType("jsonb").HasConversion(ConditionsJson.Converter);
        builder.HasIndex(m => m.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>Optional conditions stored as JSON, in the same camelCase form as the decision's.</summary>
internal static class ConditionsJson
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DecisionConditions?, string?> Converter = new(
        conditions => conditions == null ? null : System.Text.Json.JsonSerializer.Serialize(conditions, AnswersJson.Options),
        json => json == null ? null : System.Text.Json.JsonSerializer.Deserialize<DecisionConditions>(json, AnswersJson.Options));
}
