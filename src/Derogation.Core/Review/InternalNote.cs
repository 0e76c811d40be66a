using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
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

public enum NoteError
{
    None,
    Required,
    TooLong,
}

/// <summary>ANSM's internal notes on a case: written with their audit event (never their text, which may name people).</summary>
public sealed class InternalNotes(DerogationDbContext db, TimeProvider clock)
{
    public const int MaxLength = 4000;

    public async Task<NoteError> AddAsync(Guid applicationId, Guid authorUserId, string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return NoteError.Required;
        }

        if (text.Trim().Length > MaxLength)
        {
            return NoteError.TooLong;
        }

        db.InternalNotes.Add(new InternalNote { Id = Guid.NewGuid(), ApplicationId = applicationId, AuthorUserId = authorUserId, Text = text.Trim(), CreatedAt = clock.GetUtcNow() });
        db.Record(clock, AuditActions.NoteAdded, authorUserId, nameof(Application), applicationId.ToString(), "internal note");
        await db.SaveChangesAsync();
        return NoteError.None;
    }
}
