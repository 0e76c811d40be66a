using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Issuing;

public enum CopiesWithoutAccount
{
    /// <summary>The letter itself, attached to the e-mail.</summary>
    Attachment,
    /// <summary>A link that opens the letter once.</summary>
    SingleUseLink,
}

/// <summary>Configuration section "Letters".</summary>
public sealed class LetterOptions
{
    /// <summary>How the prescriber, the establishment director and others without an account receive their copy.</summary>
    public CopiesWithoutAccount CopiesWithoutAccount { get; set; } = CopiesWithoutAccount.Attachment;

    /// <summary>How long a single-use link stays valid if it is not used.</summary>
    public int LinkValidityDays { get; set; } = 30;
}

/// <summary>
/// A single-use link to a letter for someone without an account. Only the SHA-256 of the token is stored: the
/// token itself exists only in the e-mail sent.
/// </summary>
public sealed class LetterLink
{
    public Guid Id { get; set; }
    public required string TokenHash { get; set; }
    public Guid ApplicationId { get; set; }
    public Guid IssuedDocumentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>A new link's token (256 random bits, URL-safe) and the row that remembers its hash.</summary>
    public static (string Token, LetterLink Link) Create(Guid applicationId, Guid documentId, DateTimeOffset now, int validityDays)
    {
        var token = Accounts.SecretTokens.New();
        return (token, new LetterLink
        {
            Id = Guid.NewGuid(), TokenHash = Hash(token), ApplicationId = applicationId, IssuedDocumentId = documentId,
            CreatedAt = now, ExpiresAt = now.AddDays(validityDays),
        });
    }

    public static string Hash(string token) => Accounts.SecretTokens.Hash(token);
}

internal sealed class LetterLinkConfiguration : IEntityTypeConfiguration<LetterLink>
{
    public void Configure(EntityTypeBuilder<LetterLink> builder)
    {
        builder.ToTable("letter_links");
        builder.HasKey(l => l.Id);
        builder.Property(l => l.TokenHash).HasMaxLength(64);
        builder.HasIndex(l => l.TokenHash).IsUnique();
        builder.HasOne<Application>().WithMany().HasForeignKey(l => l.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class LetterLinks
{
    /// <summary>
    /// The letter behind a link, once: the link is spent in the same statement that finds it, so two clicks at the
    /// same moment get it once. Null when unknown, spent or expired.
    /// </summary>
    public static async Task<IssuedDocument?> OpenOnceAsync(this DerogationDbContext db, string token, TimeProvider clock)
    {
        var hash = LetterLink.Hash(token);
        var now = clock.GetUtcNow();
        var documentIds = await db.Database
            .SqlQuery<Guid>($"UPDATE letter_links SET used_at = {now} WHERE token_hash = {hash} AND used_at IS NULL AND expires_at > {now} RETURNING issued_document_id AS \"Value\"")
            .ToListAsync();
        return documentIds.Count == 0 ? null : await db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == documentIds[0]);
    }
}
