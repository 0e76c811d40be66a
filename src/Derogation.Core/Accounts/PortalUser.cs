using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Accounts;

/// <summary>A person with an account. Belongs to exactly one organisation; may administer its members.</summary>
public sealed class PortalUser : IdentityUser<Guid>
{
    public Guid OrganisationId { get; set; }
    public Organisation Organisation { get; set; } = null!;
    public required string FullName { get; set; }
    public bool IsOrganisationAdministrator { get; set; }
    /// <summary>ANSM signatories: the title printed under their name on decision letters.</summary>
    public string? JobTitle { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>ANSM reviewers who asked to be e-mailed, beside the team address, when an urgent application is filed.</summary>
    public bool ReceivesUrgentAlerts { get; set; }
}

internal sealed class PortalUserConfiguration : IEntityTypeConfiguration<PortalUser>
{
    public void Configure(EntityTypeBuilder<PortalUser> builder)
    {
        builder.Property(u => u.FullName).HasMaxLength(200);
        builder.Property(u => u.JobTitle).HasMaxLength(200);
        builder.HasOne(u => u.Organisation).WithMany().HasForeignKey(u => u.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}
