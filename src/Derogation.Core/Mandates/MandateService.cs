using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Mandates;

public enum MandateError
{
    None,
    NotAConsultancy,
    EndBeforeStart,
    NotFound,
    NotPending,
}

/// <summary>Mandates: granted or revoked by a manufacturer; letters uploaded by a consultancy and verified by an administrator.</summary>
public sealed class MandateService(DerogationDbContext db, TimeProvider clock)
{
    /// <summary>Today's date in France: a mandate valid "until 31 March" is in force all that day in Paris.</summary>
    public DateOnly Today => FrenchTime.Today(clock);

    public async Task<(MandateError Error, Mandate? Mandate)> GrantAsync(Guid manufacturerId, Guid consultancyId, DateOnly from, DateOnly? until, string? scope, Guid grantedBy)
    {
        if (until < from)
        {
            return (MandateError.EndBeforeStart, null);
        }

        if (!await db.Organisations.AnyAsync(o => o.Id == consultancyId && o.Kind == OrganisationKind.Consultancy))
        {
            return (MandateError.NotAConsultancy, null);
        }

        var mandate = new Mandate
        {
            Id = Guid.NewGuid(),
            ManufacturerId = manufacturerId,
            ConsultancyId = consultancyId,
            ValidFrom = from,
            ValidUntil = until,
            Scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim(),
            Status = MandateStatus.Active,
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = grantedBy,
        };
        db.Mandates.Add(mandate);
        db.Record(clock, AuditActions.MandateGranted, grantedBy, nameof(Mandate), mandate.Id.ToString(), $"consultancy={consultancyId}");
        await db.SaveChangesAsync();
        return (MandateError.None, mandate);
    }

    /// <summary>Revoking stops new filings at once; applications already filed stay with their filer.</summary>
    public async Task<MandateError> RevokeAsync(Guid mandateId, Guid manufacturerId, Guid revokedBy)
    {
        var mandate = await db.Mandates.SingleOrDefaultAsync(m => m.Id == mandateId && m.ManufacturerId == manufacturerId && m.Status == MandateStatus.Active);
        if (mandate is null)
        {
            return MandateError.NotFound;
        }

        mandate.Status = MandateStatus.Revoked;
        mandate.DecidedAt = clock.GetUtcNow();
        mandate.DecidedByUserId = revokedBy;
        db.Record(clock, AuditActions.MandateRevoked, revokedBy, nameof(Mandate), mandate.Id.ToString());
        await db.SaveChangesAsync();
        return MandateError.None;
    }

    public async Task<(MandateError Error, Mandate? Mandate)> UploadLetterAsync(Guid consultancyId, string manufacturerName, string manufacturerAddress,
        string manufacturerCountry, DateOnly from, DateOnly? until, string? scope, string fileName, byte[] content, Guid uploadedBy)
    {
        if (until < from)
        {
            return (MandateError.EndBeforeStart, null);
        }

        var mandate = new Mandate
        {
            Id = Guid.NewGuid(),
            ConsultancyId = consultancyId,
            DeclaredManufacturerName = manufacturerName.Trim(),
            DeclaredManufacturerAddress = manufacturerAddress.Trim(),
            DeclaredManufacturerCountry = manufacturerCountry.Trim(),
            ValidFrom = from,
            ValidUntil = until,
            Scope = string.IsNullOrWhiteSpace(scope) ? null : scope.Trim(),
            Status = MandateStatus.PendingVerification,
            LetterFileName = fileName,
            LetterContent = content,
            CreatedAt = clock.GetUtcNow(),
            CreatedByUserId = uploadedBy,
        };
        db.Mandates.Add(mandate);
        db.Record(clock, AuditActions.MandateLetterUploaded, uploadedBy, nameof(Mandate), mandate.Id.ToString());
        await db.SaveChangesAsync();
        return (MandateError.None, mandate);
    }

    /// <summary>
    /// An administrator confirms the letter: the manufacturer it names becomes an organisation of the portal
    /// (the existing one when already registered under the same name and country) and the mandate is in force.
    /// </summary>
    public async Task<MandateError> VerifyAsync(Guid mandateId, Guid administrator)
    {
        var mandate = await db.Mandates.SingleOrDefaultAsync(m => m.Id == mandateId);
        if (mandate is null)
        {
            return MandateError.NotFound;
        }

        if (mandate.Status != MandateStatus.PendingVerification)
        {
            return MandateError.NotPending;
        }

        var name = mandate.DeclaredManufacturerName!;
        var country = mandate.DeclaredManufacturerCountry!;
        var manufacturer = await db.Organisations.FirstOrDefaultAsync(o =>
            o.Kind == OrganisationKind.Manufacturer && o.LegalName.ToLower() == name.ToLower() && o.Country.ToLower() == country.ToLower());
        if (manufacturer is null)
        {
            manufacturer = new Organisation
            {
                Id = Guid.NewGuid(),
                Kind = OrganisationKind.Manufacturer,
                LegalName = name,
                Address = mandate.DeclaredManufacturerAddress!,
                Country = country,
                CreatedAt = clock.GetUtcNow(),
            };
            db.Organisations.Add(manufacturer);
        }

        mandate.ManufacturerId = manufacturer.Id;
        mandate.Status = MandateStatus.Active;
        mandate.DecidedAt = clock.GetUtcNow();
        mandate.DecidedByUserId = administrator;
        db.Record(clock, AuditActions.MandateVerified, administrator, nameof(Mandate), mandate.Id.ToString(), $"manufacturer={manufacturer.Id}");
        await db.SaveChangesAsync();
        return MandateError.None;
    }

    public async Task<MandateError> RejectAsync(Guid mandateId, string reason, Guid administrator)
    {
        var mandate = await db.Mandates.SingleOrDefaultAsync(m => m.Id == mandateId);
        if (mandate is null)
        {
            return MandateError.NotFound;
        }

        if (mandate.Status != MandateStatus.PendingVerification)
        {
            return MandateError.NotPending;
        }

        mandate.Status = MandateStatus.Rejected;
        mandate.DecisionReason = reason.Trim();
        mandate.DecidedAt = clock.GetUtcNow();
        mandate.DecidedByUserId = administrator;
        db.Record(clock, AuditActions.MandateRejected, administrator, nameof(Mandate), mandate.Id.ToString());
        await db.SaveChangesAsync();
        return MandateError.None;
    }

    /// <summary>The manufacturers a consultancy may file for today: those whose mandate to it is in force.</summary>
    public async Task<List<Organisation>> ManufacturersInForceAsync(Guid consultancyId)
    {
        var today = Today;
        return await db.Mandates.AsNoTracking()
            .Where(m => m.ConsultancyId == consultancyId && m.Status == MandateStatus.Active && m.ValidFrom <= today
                        && (m.ValidUntil == null || today <= m.ValidUntil))
            .Select(m => m.Manufacturer!)
            .Distinct()
            .OrderBy(o => o.LegalName)
            .ToListAsync();
    }

    public Task<List<Mandate>> GrantedByAsync(Guid manufacturerId) =>
        db.Mandates.AsNoTracking().Include(m => m.Consultancy)
            .Where(m => m.ManufacturerId == manufacturerId).OrderByDescending(m => m.CreatedAt).ToListAsync();

    public Task<List<Mandate>> HeldByAsync(Guid consultancyId) =>
        db.Mandates.AsNoTracking().Include(m => m.Manufacturer)
            .Where(m => m.ConsultancyId == consultancyId).OrderByDescending(m => m.CreatedAt).ToListAsync();

    public Task<List<Mandate>> PendingVerificationAsync() =>
        db.Mandates.AsNoTracking().Include(m => m.Consultancy)
            .Where(m => m.Status == MandateStatus.PendingVerification).OrderBy(m => m.CreatedAt).ToListAsync();
}
