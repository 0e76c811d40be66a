using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Organisations;

public enum OrganisationKind
{
    Manufacturer,
    Consultancy,
    Ansm,
}

/// <summary>
/// A manufacturer (or its authorised representative), a consultancy, or ANSM itself. Every user belongs to
/// one. Manufacturers are mostly foreign: there is no SIRET, only an optional EUDAMED SRN.
/// </summary>
public sealed class Organisation
{
    public Guid Id { get; set; }
    public OrganisationKind Kind { get; set; }
    public required string LegalName { get; set; }
    public required string Address { get; set; }
    public required string Country { get; set; }
    public string? EudamedSrn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> builder)
    {
        builder.ToTable("organisations");
        builder.HasKey(o => o.Id);
        builder.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.LegalName).HasMaxLength(300);
        builder.Property(o => o.Address).HasMaxLength(1000);
        builder.Property(o => o.Country).HasMaxLength(100);
        builder.Property(o => o.EudamedSrn).HasMaxLength(20);
        builder.HasIndex(o => new { o.Kind, o.LegalName });
    }
}
