using System.Text.RegularExpressions;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Organisations;

public enum VerificationError
{
    None,
    NotFound,
    AlreadyVerified,
    NoEvidence,
}

/// <summary>
/// Organisations that registered themselves are unverified until an ANSM administrator has checked their legal
/// name, country, SRN and the evidence they uploaded (a company-register extract). Filing is never blocked by it —
/// urgency first —, but reviewers see "Organisation non vérifiée" and a signatory confirms before signing a letter
/// addressed to an unverified manufacturer (docs/domain.md, "Who is who").
/// </summary>
public sealed partial class OrganisationVerification(DerogationDbContext db, DocumentStore documents, TimeProvider clock)
{
    public const long MaxEvidenceBytes = 10L * 1024 * 1024;

    /// <summary>The organisation's evidence, checked like every document (content, antivirus, PDF safety); the latest replaces the earlier.</summary>
    public async Task<UploadRefusal?> SubmitEvidenceAsync(Guid organisationId, string fileName, Stream content, Guid submittedBy, CancellationToken cancellationToken = default)
    {
        if (content.Length > MaxEvidenceBytes)
        {
            return new UploadRefusal(UploadError.TooLarge);
        }

        var (refusal, inspected) = await documents.InspectAsync(fileName, content, new UploadSubject(nameof(Organisation), organisationId.ToString(), submittedBy), null, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        // The organisation's row is locked for the transaction: two files sent at once are written one after the
        // other (the later replaces the earlier) rather than both inserting its evidence row.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var organisation = await db.Organisations.FromSql($"SELECT * FROM organisations WHERE id = {organisationId} FOR UPDATE").SingleAsync(cancellationToken);
        content.Position = 0;
        using var bytes = new MemoryStream();
        await content.CopyToAsync(bytes, cancellationToken);
        organisation.EvidenceFileName = DocumentStore.SafeFileName(fileName, inspected!.Format);
        organisation.EvidenceSubmittedAt = clock.GetUtcNow();
        // A new file replaces the one sent before.
        if (await db.OrganisationEvidence.SingleOrDefaultAsync(e => e.OrganisationId == organisationId, cancellationToken) is { } earlier)
        {
            earlier.Content = bytes.ToArray();
        }
        else
        {
            db.OrganisationEvidence.Add(new OrganisationEvidence { OrganisationId = organisationId, Content = bytes.ToArray() });
        }

        db.Record(clock, AuditActions.OrganisationEvidenceSubmitted, submittedBy, nameof(Organisation), organisationId.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return null;
    }

    public async Task<VerificationError> VerifyAsync(Guid organisationId, Guid administrator)
    {
        var organisation = await db.Organisations.SingleOrDefaultAsync(o => o.Id == organisationId && o.Kind != OrganisationKind.Ansm);
        if (organisation is null)
        {
            return VerificationError.NotFound;
        }

        if (organisation.IsVerified)
        {
            return VerificationError.AlreadyVerified;
        }

        if (!await db.OrganisationEvidence.AnyAsync(e => e.OrganisationId == organisationId))
        {
            return VerificationError.NoEvidence;
        }

        organisation.VerifiedAt = clock.GetUtcNow();
        organisation.VerifiedByUserId = administrator;
        db.Record(clock, AuditActions.OrganisationVerified, administrator, nameof(Organisation), organisationId.ToString());
        await db.SaveChangesAsync();
        return VerificationError.None;
    }

    /// <summary>Unverified organisations, those with evidence first (they can be verified now), oldest first.</summary>
    public Task<List<Organisation>> UnverifiedAsync() =>
        db.Organisations.AsNoTracking().Where(o => o.VerifiedAt == null && o.Kind != OrganisationKind.Ansm)
            .OrderBy(o => o.EvidenceSubmittedAt == null).ThenBy(o => o.CreatedAt).ToListAsync();

    /// <summary>An EUDAMED single registration number for a manufacturer: country, "MF", nine digits (FR-MF-000012345).</summary>
    public static bool IsManufacturerSrn(string? srn) => srn is not null && Srn().IsMatch(srn.Trim().ToUpperInvariant());

    [GeneratedRegex(@"^[A-Z]{2}-MF-\d{9}$")]
    private static partial Regex Srn();
}
