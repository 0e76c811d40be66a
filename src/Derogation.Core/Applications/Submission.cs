using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Applications;

/// <summary>
/// The last number given for a prefix (DIV, DGL) and year. Incremented inside the submitting transaction: the
/// row lock serialises concurrent submissions, and a rolled-back submission gives its number back — no gaps,
/// no duplicates.
/// </summary>
public sealed class ReferenceCounter
{
    public required string Prefix { get; set; }
    public int Year { get; set; }
    public int LastNumber { get; set; }
}

/// <summary>A frozen copy of the answers: version 1 at submission, the next one at each answer to an information request.</summary>
public sealed class ApplicationVersion
{
    public Guid ApplicationId { get; set; }
    public int Version { get; set; }
    public ApplicationAnswers Answers { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
}

public enum IssuedDocumentKind
{
    DepositReceipt,
    DecisionLetter,
    SuspensionLetter,
    ReinstatementLetter,
    WithdrawalLetter,
    ExtensionLetter,
    RectificationLetter,
    AmendmentLetter,
}

/// <summary>A document the portal issued (receipt, letter): stored once with its SHA-256, served as stored, never regenerated.</summary>
public sealed class IssuedDocument
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public IssuedDocumentKind Kind { get; set; }
    public required string FileName { get; set; }
    public required byte[] Content { get; set; }
    public required string Sha256 { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>For a letter: the versions of the standard paragraphs it was drawn with ("GrantGlobal v3, …").</summary>
    public string? Wording { get; set; }
}

internal sealed class ReferenceCounterConfiguration : IEntityTypeConfiguration<ReferenceCounter>
{
    public void Configure(EntityTypeBuilder<ReferenceCounter> builder)
    {
        builder.ToTable("reference_counters");
        builder.HasKey(c => new { c.Prefix, c.Year });
        builder.Property(c => c.Prefix).HasMaxLength(3);
    }
}

internal sealed class ApplicationVersionConfiguration : IEntityTypeConfiguration<ApplicationVersion>
{
    public void Configure(EntityTypeBuilder<ApplicationVersion> builder)
    {
        builder.ToTable("application_versions");
        builder.HasKey(v => new { v.ApplicationId, v.Version });
        builder.Property(v => v.Answers).HasColumnType("jsonb").HasConversion(AnswersJson.Converter, AnswersJson.Comparer);
        builder.HasOne<Application>().WithMany().HasForeignKey(v => v.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class IssuedDocumentConfiguration : IEntityTypeConfiguration<IssuedDocument>
{
    public void Configure(EntityTypeBuilder<IssuedDocument> builder)
    {
        builder.ToTable("issued_documents");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Kind).HasConversion<string>().HasMaxLength(30);
        builder.Property(d => d.FileName).HasMaxLength(200);
        builder.Property(d => d.Sha256).HasMaxLength(64);
        builder.Property(d => d.Wording).HasMaxLength(200);
        builder.HasIndex(d => new { d.ApplicationId, d.Kind });
        builder.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
