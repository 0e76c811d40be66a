using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

public enum DecisionOutcome
{
    Grant,
    Refuse,
    CloseWithoutDecision,
}

/// <summary>What a grant allows: the letter's articles are drawn from these.</summary>
public sealed class DecisionConditions
{
    public DateOnly? ValidFrom { get; set; }
    /// <summary>Mandatory for a global grant.</summary>
    public DateOnly? ValidUntil { get; set; }
    public int? MaxPatients { get; set; }
    public string? Establishments { get; set; }
    public string? FollowUp { get; set; }
    public string? Restrictions { get; set; }
}

/// <summary>
/// A reasoned decision (docs/domain.md §4): its outcome, its reasons (always), its conditions (for a grant) and who
/// signs it. Everything the decision letter needs is here or on the application's frozen version.
/// </summary>
public sealed class Decision
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public DecisionOutcome Outcome { get; set; }
    public required string Reasons { get; set; }
    public DecisionConditions Conditions { get; set; } = new();
    public Guid SignatoryUserId { get; set; }
    public required string SignatoryName { get; set; }
    public required string SignatoryTitle { get; set; }
    /// <summary>The version of the answers the decision was taken on.</summary>
    public int Version { get; set; }
    public DateTimeOffset DecidedAt { get; set; }
    /// <summary>
    /// How long the clock was stopped before the decision (information awaited from each request until its answer, its
    /// cancellation or the decision), kept at signature so that the time-to-decision figures need no join to the requests.
    /// </summary>
    public double ClockStoppedSeconds { get; set; }
    public Guid DecidedByUserId { get; set; }
    /// <summary>Others the reviewer named to receive a copy (the letter's "Copie à", sent as an attachment).</summary>
    public List<Letters.LetterRecipient> OtherRecipients { get; set; } = [];
    /// <summary>Printed on the letter; /verification/{code} confirms it. Random (80 bits): unguessable.</summary>
    public string? VerificationCode { get; set; }
    /// <summary>The letter as issued (issued_documents), rendered once when the decision was taken.</summary>
    public Guid? LetterDocumentId { get; set; }
}

internal sealed class DecisionConfiguration : IEntityTypeConfiguration<Decision>
{
    public void Configure(EntityTypeBuilder<Decision> builder)
    {
        builder.ToTable("decisions");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Outcome).HasConversion<string>().HasMaxLength(30);
        builder.Property(d => d.Reasons).HasMaxLength(20000);
        builder.Property(d => d.SignatoryName).HasMaxLength(200);
        builder.Property(d => d.SignatoryTitle).HasMaxLength(200);
        builder.Property(d => d.Conditions).HasJsonbConversion();
        builder.Property(d => d.OtherRecipients).HasJsonbConversion();
        builder.Property(d => d.VerificationCode).HasMaxLength(32);
        builder.HasIndex(d => d.VerificationCode).IsUnique();
        // One decision per application: a second one is refused by the database too.
        builder.HasIndex(d => d.ApplicationId).IsUnique();
        builder.HasOne<Application>().WithMany().HasForeignKey(d => d.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
