using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>What a proposal asks the signatory to sign.</summary>
public enum ProposalAct
{
    /// <summary>Grant, refusal or closure without decision (<see cref="Proposal.Outcome"/>).</summary>
    Decision,
    Suspension,
    Reinstatement,
    Withdrawal,
    /// <summary>Twelve more months for an annual prosthesis derogation.</summary>
    Extension,
    /// <summary>A reasoned decision correcting a letter already signed (<see cref="Proposal.RectifiesDocumentId"/>).</summary>
    Rectification,
    /// <summary>New conditions for a granted derogation (<see cref="Proposal.Conditions"/>), with their own reasoned letter.</summary>
    Amendment,
}

public enum ProposalState
{
    /// <summary>Waiting for a signatory.</summary>
    Pending,
    /// <summary>Sent back to the reviewer with a comment; the reviewer amends it and sends it again.</summary>
    Returned,
    Signed,
}

/// <summary>
/// A decision or a measure as the reviewer prepared it (docs/journeys/review.md, "four-eyes"): nothing is
/// issued until a signatory other than the reviewer signs it with a fresh second factor. Only then is the letter
/// rendered and sent, in the signatory's name. An application has at most one proposal not yet signed;
/// <see cref="Revision"/> moves on with every change, so that a signatory never signs a text they did not read.
/// </summary>
public sealed class Proposal
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public ProposalAct Act { get; set; }
    /// <summary>For a decision (and the rectification of one): grant, refusal or closure.</summary>
    public DecisionOutcome? Outcome { get; set; }
    /// <summary>The considerations ("Considérant …"); for a rectification, why the letter is rectified.</summary>
    public required string Reasons { get; set; }
    /// <summary>For a grant, and for the rectification of one: the conditions as they will stand.</summary>
    public DecisionConditions Conditions { get; set; } = new();
    /// <summary>For a rectification: the corrected wording, as the rectifying letter states it.</summary>
    public string? Correction { get; set; }
    public List<Letters.LetterRecipient> OtherRecipients { get; set; } = [];
    /// <summary>The signatory the reviewer sends it to; any other signatory may sign it too, never its author.</summary>
    public Guid SignatoryUserId { get; set; }
    public Guid ProposedByUserId { get; set; }
    public DateTimeOffset ProposedAt { get; set; }
    /// <summary>When it last changed (sent again after a return, amended).</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public int Revision { get; set; }
    public ProposalState State { get; set; }
    public string? ReturnComment { get; set; }
    public DateTimeOffset? ReturnedAt { get; set; }
    public Guid? ReturnedByUserId { get; set; }
    public DateTimeOffset? SignedAt { get; set; }
    public Guid? SignedByUserId { get; set; }
    /// <summary>For a rectification: the issued letter it rectifies.</summary>
    public Guid? RectifiesDocumentId { get; set; }
    /// <summary>For a signed rectification: its own letter and verification code (decisions and measures keep theirs on their rows).</summary>
    public Guid? LetterDocumentId { get; set; }
    public string? VerificationCode { get; set; }
    /// <summary>For a signed rectification of a grant: the conditions it replaced (the decision row holds the rectified ones).</summary>
    public DecisionConditions? PreviousConditions { get; set; }

    public bool IsOpen => State is ProposalState.Pending or ProposalState.Returned;
}

internal sealed class ProposalConfiguration : IEntityTypeConfiguration<Proposal>
{
    public void Configure(EntityTypeBuilder<Proposal> builder)
    {
        builder.ToTable("proposals");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Act).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Outcome).HasConversion<string>().HasMaxLength(30);
        builder.Property(p => p.State).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Reasons).HasMaxLength(20000);
        builder.Property(p => p.Correction).HasMaxLength(20000);
        builder.Property(p => p.ReturnComment).HasMaxLength(4000);
        builder.Property(p => p.Conditions).HasJsonbConversion();
        builder.Property(p => p.PreviousConditions).HasColumnType("jsonb").HasConversion(ConditionsJson.Converter);
        builder.Property(p => p.OtherRecipients).HasJsonbConversion();
        builder.Property(p => p.VerificationCode).HasMaxLength(32);
        builder.HasIndex(p => p.VerificationCode).IsUnique();
        builder.HasIndex(p => new { p.ApplicationId, p.State });
        builder.HasIndex(p => p.State);
        builder.HasOne<Application>().WithMany().HasForeignKey(p => p.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
