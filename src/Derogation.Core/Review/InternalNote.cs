using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>A note ANSM staff keep on a case; never shown to the applicant or the manufacturer.</summary>
public sealed class InternalNote
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid AuthorUserId { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class InternalNoteConfiguration : IEntityTypeConfiguration<InternalNote>
{
    public void Configure(EntityTypeBuilder<InternalNote> builder)
    {
        builder.ToTable("internal_notes");
        builder.HasKey(n => n.Id);
        builder.Property(n => n.Text).HasMaxLength(4000);
        builder.HasIndex(n => n.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(n => n.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}
