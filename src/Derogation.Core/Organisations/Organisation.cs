using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Organisations;

public enum OrganisationKind
{
    Manufacturer,
    Consultancy,
    Ansm,
    /// <summary>An importer (MDR Art. 13): files for a manufacturer under its mandate, like a consultancy.</summary>
    Importer,
    /// <summary>A distributor (MDR Art. 14): files for a manufacturer under its mandate, like a consultancy.</summary>
    Distributor,
}

public static class OrganisationKinds
{
    /// <summary>
    /// The economic operators and advisers who file for a manufacturer, never for themselves: only under a mandate
    /// from it that is in force (docs/domain.md, "Who files").
    /// </summary>
    public static bool FilesUnderMandate(this OrganisationKind kind) =>
        kind is OrganisationKind.Consultancy or OrganisationKind.Importer or OrganisationKind.Distributor;

    public static IReadOnlyList<OrganisationKind> UnderMandate { get; } = [OrganisationKind.Consultancy, OrganisationKind.Importer, OrganisationKind.Distributor];

    /// <summary>The capacity in which an organisation of this kind files under a mandate.</summary>
    public static Applications.FiledAs FiledAsUnderMandate(this OrganisationKind kind) => kind switch
    {
        OrganisationKind.Importer => Applications.FiledAs.Importer,
        OrganisationKind.Distributor => Applications.FiledAs.Distributor,
        _ => Applications.FiledAs.Consultant,
    };
}

/// <summary>
/// A manufacturer (or its authorised representative), a consultancy, an importer or distributor, or ANSM itself.
/// Every user belongs to one. Manufacturers are mostly foreign: there is no SIRET, only an optional EUDAMED SRN.
/// Self-registered organisations are unverified until an ANSM administrator has checked their evidence.
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
    /// <summary>
    /// The regulatory contact named in the mandate letter a manufacturer was created from: it receives the
    /// invitation to claim the organisation and, while nobody has, every copy meant for the manufacturer.
    /// </summary>
    public string? ContactEmail { get; set; }
    public DateTimeOffset? VerifiedAt { get; set; }
    public Guid? VerifiedByUserId { get; set; }
    /// <summary>
    /// The evidence the organisation gave of its existence (a company-register extract), for the administrator: its
    /// name and date here, its bytes in <see cref="OrganisationEvidence"/>.
    /// </summary>
    public string? EvidenceFileName { get; set; }
    public DateTimeOffset? EvidenceSubmittedAt { get; set; }

    public bool IsVerified => VerifiedAt is not null;
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
        builder.Property(o => o.ContactEmail).HasMaxLength(256);
        builder.Property(o => o.EvidenceFileName).HasMaxLength(255);
        builder.Ignore(o => o.IsVerified);
        builder.HasIndex(o => new { o.Kind, o.LegalName });
    }
}

/// <summary>
/// The bytes of an organisation's evidence (up to 10 MB), in a table of their own: an organisation is read with
/// nearly every application (its manufacturer, who filed it) and listed whole on the administrators' pages, and
/// none of those reads should carry a file (docs/performance.md).
/// </summary>
public sealed class OrganisationEvidence
{
    public Guid OrganisationId { get; set; }
    public required byte[] Content { get; set; }
}

internal sealed class OrganisationEvidenceConfiguration : IEntityTypeConfiguration<OrganisationEvidence>
{
    public void Configure(EntityTypeBuilder<OrganisationEvidence> builder)
    {
        builder.ToTable("organisation_evidence");
        builder.HasKey(e => e.OrganisationId);
        builder.HasOne<Organisation>().WithOne().HasForeignKey<OrganisationEvidence>(e => e.OrganisationId).OnDelete(DeleteBehavior.Cascade);
    }
}
