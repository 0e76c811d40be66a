using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Accounts;

/// <summary>
/// An invitation to join an organisation (or, from an administrator, to hold an ANSM account), sent by
/// e-mail. Only the SHA-256 of its token is stored; it is used once and expires.
/// </summary>
public sealed class Invitation
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Email { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>The role the new account receives (an ANSM role for ANSM invitations).</summary>
    public required string Role { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
}

internal sealed class InvitationConfiguration : IEntityTypeConfiguration<Invitation>
{
    public void Configure(EntityTypeBuilder<Invitation> builder)
    {
        builder.ToTable("invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.Property(i => i.Role).HasMaxLength(50);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasOne<Organisations.Organisation>().WithMany().HasForeignKey(i => i.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
