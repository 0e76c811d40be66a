using Derogation.Core.Applications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Documents;

/// <summary>
/// One piece (at most <see cref="DocumentStore.ChunkBytes"/>) of an uploaded document. Documents are written and
/// read a chunk at a time, so a 100 MB file never sits in the server's memory (Npgsql would materialise a
/// single 100 MB bytea value). Mapped so that the schema guard covers the table; never loaded through EF.
/// </summary>
public sealed class DocumentChunk
{
    public Guid DocumentId { get; set; }
    public int ChunkIndex { get; set; }
    public Guid ApplicationId { get; set; }
    public byte[] Bytes { get; set; } = [];
}

internal sealed class DocumentChunkConfiguration : IEntityTypeConfiguration<DocumentChunk>
{
    public void Configure(EntityTypeBuilder<DocumentChunk> builder)
    {
        builder.ToTable("document_chunks");
        builder.HasKey(c => new { c.DocumentId, c.ChunkIndex });
        builder.HasIndex(c => c.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(c => c.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}
