using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>
/// A message in an application's thread between the applicant's side (the filer, the manufacturer) and ANSM: for
/// everything that is not a formal information request (which stops the clock and opens sections).
/// </summary>
public sealed class CaseMessage
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid AuthorUserId { get; set; }
    /// <summary>Written by ANSM (else by the applicant's side).</summary>
    public bool FromAnsm { get; set; }
    public required string Text { get; set; }
    /// <summary>A file, checked as the application's documents are (antivirus, format, the patient rules).</summary>
    public DocumentReference? Attachment { get; set; }
    public DateTimeOffset SentAt { get; set; }
    /// <summary>When someone on the other side first opened the thread after it was sent.</summary>
    public DateTimeOffset? ReadAt { get; set; }
}

internal sealed class CaseMessageConfiguration : IEntityTypeConfiguration<CaseMessage>
{
    public void Configure(EntityTypeBuilder<CaseMessage> builder)
    {
        builder.ToTable("case_messages");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Text).HasMaxLength(CaseMessages.MaxLength);
        builder.Property(m => m.Attachment).HasColumnType("jsonb").HasConversion(DocumentReferenceJson.Converter);
        builder.HasIndex(m => new { m.ApplicationId, m.SentAt });
        builder.HasOne<Application>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
