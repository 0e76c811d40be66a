using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>
/// One round of questions: the reviewer's message, optionally a file, the sections the applicant may amend and
/// a deadline; then the applicant's answer, which froze the application's next version.
/// </summary>
public sealed class InformationRequest
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    /// <summary>1 for the first request on the application, 2 for the next …</summary>
    public int Round { get; set; }
    public required string Message { get; set; }
    /// <summary>Wizard step addresses (e.g. "dispositif") the applicant may change; the others stay as submitted.</summary>
    public List<string> AmendableSections { get; set; } = [];
    public DateOnly? AnswerDeadline { get; set; }
    /// <summary>The reviewer's file, stored with the application's documents.</summary>
    public DocumentReference? Attachment { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public Guid RequestedByUserId { get; set; }
    /// <summary>The applicant's text: saved as a draft until sent (AnsweredAt set).</summary>
    public string? Answer { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public Guid? AnsweredByUserId { get; set; }
    /// <summary>The version the answer created.</summary>
    public int? AnswerVersion { get; set; }

    /// <summary>
    /// Asked about a granted (or suspended) derogation: the decision is not reopened — the application keeps its status,
    /// no section is amended, no version is frozen — and the applicant answers with a text and, optionally, a file.
    /// </summary>
    public bool AfterDecision { get; set; }

    /// <summary>After the decision: the applicant's file sent with the answer (same checks as the application's documents).</summary>
    public DocumentReference? AnswerAttachment { get; set; }

    /// <summary>When the applicant was reminded that the deadline is near (once).</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }
    /// <summary>When the holder was told the deadline had passed without an answer (once).</summary>
    public DateTimeOffset? OverdueNotifiedAt { get; set; }
    /// <summary>Cancelled by the reviewer (with <see cref="CancelReason"/>), or closed by a decision signed while it was open (no reason).</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    public Guid? CancelledByUserId { get; set; }
    public string? CancelReason { get; set; }

    public bool IsOpen => AnsweredAt is null && CancelledAt is null;

    /// <summary>Open, with a deadline that passed before <paramref name="today"/> (in France).</summary>
    public bool IsOverdue(DateOnly today) => IsOpen && AnswerDeadline < today;
}

internal sealed class InformationRequestConfiguration : IEntityTypeConfiguration<InformationRequest>
{
    public void Configure(EntityTypeBuilder<InformationRequest> builder)
    {
        builder.ToTable("information_requests");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Message).HasMaxLength(8000);
        builder.Property(r => r.Answer).HasMaxLength(8000);
        builder.Property(r => r.CancelReason).HasMaxLength(4000);
        builder.Property(r => r.AmendableSections).HasColumnType("text[]")
            .Metadata.SetValueComparer(new ValueComparer<List<string>>(
                (left, right) => left!.SequenceEqual(right!), list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)), list => list.ToList()));
        builder.Property(r => r.Attachment).HasColumnType("jsonb").HasConversion(DocumentReferenceJson.Converter);
        builder.Property(r => r.AnswerAttachment).HasColumnType("jsonb").HasConversion(DocumentReferenceJson.Converter);
        builder.HasIndex(r => new { r.ApplicationId, r.Round }).IsUnique();
        builder.HasOne<Application>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
