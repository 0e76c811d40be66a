using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>
/// A reviewer's question to another ANSM user (a colleague, another department): what to read, by when; then the
/// expert's answer. The expert sees this case through the opinion only — the question, the documents named, nothing else.
/// </summary>
public sealed class ExpertOpinion
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid RequestedByUserId { get; set; }
    public Guid ExpertUserId { get; set; }
    public required string Question { get; set; }
    /// <summary>The documents of the submitted versions the expert may open.</summary>
    public List<Guid> DocumentIds { get; set; } = [];
    public DateOnly Deadline { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    /// <summary>When the expert was reminded that the deadline is near (once).</summary>
    public DateTimeOffset? ReminderSentAt { get; set; }
    public string? Answer { get; set; }
    /// <summary>The expert's file, stored with the application's documents (antivirus, format).</summary>
    public DocumentReference? AnswerAttachment { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }

    public bool IsAnswered => AnsweredAt is not null;
}

internal sealed class ExpertOpinionConfiguration : IEntityTypeConfiguration<ExpertOpinion>
{
    public void Configure(EntityTypeBuilder<ExpertOpinion> builder)
    {
        builder.ToTable("expert_opinions");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Question).HasMaxLength(ExpertOpinions.MaxTextLength);
        builder.Property(o => o.Answer).HasMaxLength(ExpertOpinions.MaxTextLength);
        builder.Property(o => o.DocumentIds).HasColumnType("uuid[]")
            .Metadata.SetValueComparer(new ValueComparer<List<Guid>>(
                (left, right) => left!.SequenceEqual(right!), list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)), list => list.ToList()));
        builder.Property(o => o.AnswerAttachment).HasColumnType("jsonb").HasConversion(DocumentReferenceJson.Converter);
        builder.HasIndex(o => o.ApplicationId);
        builder.HasIndex(o => o.ExpertUserId);
        builder.HasOne<Application>().WithMany().HasForeignKey(o => o.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
