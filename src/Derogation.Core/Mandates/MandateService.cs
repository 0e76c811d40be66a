using Derogation.Core.Navigation;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
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
    /// <summary>The letter names a manufacturer that has an account: it grants the mandate in the portal itself.</summary>
    ManufacturerRegistered,
}

/// <summary>An organisation whose name is close to the one a letter declares, shown to the administrator before verifying.</summary>
public sealed record NearMatch(Organisation Organisation, bool SameSrn, bool SameName);

/// <summary>Mandates: granted or revoked by a manufacturer; letters uploaded by a consultancy and verified by an administrator.</summary>
public sealed class MandateService(DerogationDbContext db, TimeProvider clock, OutboxSignal outbox, IPortalLinks links)
{
    /// <summary>Today's date in France: a mandate valid "until 31 March" is in force all that day in Paris.</summary>
    public DateOnly Today => FrenchTime.Today(clock);

    public async Task<(MandateError Error, Mandate? Mandate)> GrantAsync(Guid manufacturerId, Guid consultancyId, DateOnly from, DateOnly? until, string? scope, Guid grantedBy)
    {
        if (until < from)
        {
            return (MandateError.EndBeforeStart, null);
        }

        if (!await db.Organisations.AnyAsync(o => o.Id == consultancyId && OrganisationKinds.UnderMandate.Contains(o.Kind)))
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

    /// <summary>
    /// A signed letter for a manufacturer that has no account. A letter naming a registered manufacturer (same legal
    /// name and country, or same SRN) is refused: that manufacturer grants the mandate in the portal, so that it is
    /// asked, and never learns of it afterwards.
    /// </summary>
    public async Task<(MandateError Error, Mandate? Mandate)> UploadLetterAsync(Guid consultancyId, string manufacturerName, string manufacturerAddress,
        string manufacturerCountry, string? manufacturerSrn, string contactEmail, DateOnly from, DateOnly? until, string? scope, string fileName, byte[] content, Guid uploadedBy)
    {
        if (until < from)
        {
            return (MandateError.EndBeforeStart, null);
        }

        var srn = string.IsNullOrWhiteSpace(manufacturerSrn) ? null : manufacturerSrn.Trim().ToUpperInvariant();
        if (await RegisteredManufacturerAsync(manufacturerName, manufacturerCountry, srn) is not null)
        {
            return (MandateError.ManufacturerRegistered, null);
        }

        var mandate = new Mandate
        {
            Id = Guid.NewGuid(),
            ConsultancyId = consultancyId,
            DeclaredManufacturerName = manufacturerName.Trim(),
            DeclaredManufacturerAddress = manufacturerAddress.Trim(),
            DeclaredManufacturerCountry = manufacturerCountry.Trim(),
            DeclaredManufacturerSrn = srn,
            DeclaredManufacturerEmail = contactEmail.Trim(),
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

    /// <summary>A manufacturer of the portal with the same legal name and country, or the same SRN.</summary>
    private async Task<Organisation?> RegisteredManufacturerAsync(string name, string country, string? srn)
    {
        var (legalName, legalCountry) = (name.Trim().ToLower(), country.Trim().ToLower());
        return await db.Organisations.AsNoTracking().FirstOrDefaultAsync(o => o.Kind == OrganisationKind.Manufacturer
            && ((o.LegalName.ToLower() == legalName && o.Country.ToLower() == legalCountry) || (srn != null && o.EudamedSrn == srn)));
    }

    /// <summary>
    /// Manufacturers whose name is close to the letter's (legal forms and punctuation aside, or within two letters),
    /// or with the same SRN: the administrator looks at them before creating one more.
    /// </summary>
    public async Task<List<NearMatch>> NearMatchesAsync(Mandate mandate)
    {
        var declared = Normalised(mandate.DeclaredManufacturerName ?? "");
        var manufacturers = await db.Organisations.AsNoTracking().Where(o => o.Kind == OrganisationKind.Manufacturer && o.Id != mandate.ManufacturerId)
            .ToListAsync();
        return manufacturers
            .Select(o => (Organisation: o, Name: Normalised(o.LegalName)))
            .Select(o => new NearMatch(o.Organisation,
                mandate.DeclaredManufacturerSrn is { } srn && o.Organisation.EudamedSrn == srn,
                o.Name.Length > 0 && declared.Length > 0
                && (o.Name == declared || o.Name.Contains(declared, StringComparison.Ordinal) || declared.Contains(o.Name, StringComparison.Ordinal)
                    || Distance(o.Name, declared) <= 2)))
            .Where(m => m.SameSrn || m.SameName)
            .OrderBy(m => m.Organisation.LegalName)
            .ToList();
    }

    private static readonly string[] LegalForms = ["gmbh", "ag", "sa", "sas", "sarl", "sasu", "ltd", "limited", "inc", "llc", "bv", "nv", "spa", "srl", "ab", "oy", "as", "plc", "corp", "co", "kg"];

    /// <summary>Lower case, without accents, punctuation or legal form: "Demo MedTech GmbH" and "DEMO MEDTECH" compare equal.</summary>
    public static string Normalised(string name)
    {
        var plain = new string(name.Normalize(System.Text.NormalizationForm.FormD)
            .Where(c => System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark)
            .Select(c => char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ').ToArray());
        return string.Join(' ', plain.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !LegalForms.Contains(word)));
    }

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > 2)
        {
            return int.MaxValue;
        }

        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }

    /// <summary>
    /// An administrator confirms the letter: the manufacturer it names becomes a new, verified organisation of the
    /// portal — never an existing one, which is neither asked nor told — and the mandate is in force. The regulatory
    /// contact the letter names is invited to claim the organisation; until someone does, it receives every copy
    /// meant for the manufacturer (<see cref="OrganisationContacts"/>).
    /// </summary>
    public async Task<MandateError> VerifyAsync(Guid mandateId, Guid administrator)
    {
        var mandate = await db.Mandates.Include(m => m.Consultancy).SingleOrDefaultAsync(m => m.Id == mandateId);
        if (mandate is null)
        {
            return MandateError.NotFound;
        }

        if (mandate.Status != MandateStatus.PendingVerification)
        {
            return MandateError.NotPending;
        }

        // The manufacturer may have registered since the letter was uploaded: then it grants the mandate itself.
        if (await RegisteredManufacturerAsync(mandate.DeclaredManufacturerName!, mandate.DeclaredManufacturerCountry!, mandate.DeclaredManufacturerSrn) is not null)
        {
            return MandateError.ManufacturerRegistered;
        }

        var now = clock.GetUtcNow();
        var manufacturer = new Organisation
        {
            Id = Guid.NewGuid(),
            Kind = OrganisationKind.Manufacturer,
            LegalName = mandate.DeclaredManufacturerName!,
            Address = mandate.DeclaredManufacturerAddress!,
            Country = mandate.DeclaredManufacturerCountry!,
            EudamedSrn = mandate.DeclaredManufacturerSrn,
            ContactEmail = mandate.DeclaredManufacturerEmail,
            CreatedAt = now,
            // The administrator has just checked the signed letter that names it.
            VerifiedAt = now,
            VerifiedByUserId = administrator,
        };
        db.Organisations.Add(manufacturer);
        mandate.ManufacturerId = manufacturer.Id;
        mandate.Status = MandateStatus.Active;
        mandate.DecidedAt = now;
        mandate.DecidedByUserId = administrator;
        db.Record(clock, AuditActions.MandateVerified, administrator, nameof(Mandate), mandate.Id.ToString(), $"manufacturer={manufacturer.Id}");
        if (manufacturer.ContactEmail is { } contact)
        {
            var token = Accounts.SecretTokens.New();
            db.Invitations.Add(new Accounts.Invitation
            {
                Id = Guid.NewGuid(),
                OrganisationId = manufacturer.Id,
                Email = contact,
                TokenHash = Accounts.SecretTokens.Hash(token),
                Role = Roles.Manufacturer,
                CreatedAt = now,
                ExpiresAt = now + ClaimLifetime,
                CreatedByUserId = administrator,
            });
            var link = links.Invitation(token);
            db.Enqueue(clock, contact, $"{manufacturer.LegalName} : votre organisation sur le portail des dérogations / your organisation on the derogation portal",
                $"Madame, Monsieur,\n\n{mandate.Consultancy.LegalName} dépose, au nom de {manufacturer.LegalName}, des demandes de dérogation au marquage CE auprès de l'ANSM, " +
                "sur la foi d'une lettre de mandat que l'ANSM a vérifiée. Vous êtes le contact réglementaire que cette lettre désigne : vous recevrez une copie de tout ce qui concerne ces demandes.\n\n" +
                $"Pour les suivre sur le portail, accorder ou révoquer vous-même les mandats, réclamez l'organisation (la première personne qui l'accepte en devient l'administrateur) :\n\n{link}\n\n" +
                $"Ce lien expire dans {ClaimLifetime.Days} jours ; l'ANSM peut en envoyer un autre sur demande. Si vous n'êtes pas concerné, signalez-le à l'ANSM.\n\n" +
                "ANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"{mandate.Consultancy.LegalName} files applications to ANSM for derogations from CE marking on behalf of {manufacturer.LegalName}, under a mandate letter ANSM has verified. " +
                "You are the regulatory contact the letter names: you will receive a copy of everything about these applications.\n\n" +
                $"To follow them on the portal and grant or revoke mandates yourself, claim the organisation (the first person who accepts becomes its administrator):\n\n{link}\n\n" +
                $"This link expires in {ClaimLifetime.Days} days. If this does not concern you, please tell ANSM.\n\nANSM — CE-marking derogation portal",
                AuditActions.MandateVerified, null);
        }

        await db.SaveChangesAsync();
        outbox.Wake();
        return MandateError.None;
    }

    /// <summary>How long the invitation to claim a manufacturer created from a letter stays valid.</summary>
    public static readonly TimeSpan ClaimLifetime = TimeSpan.FromDays(30);

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

    /// <summary>The mandate in force today from this manufacturer to this holder (the latest granted when several are).</summary>
    public Task<Mandate?> InForceAsync(Guid holderId, Guid manufacturerId)
    {
        var today = Today;
        return db.Mandates.AsNoTracking()
            .Where(m => m.ConsultancyId == holderId && m.ManufacturerId == manufacturerId && m.Status == MandateStatus.Active && m.ValidFrom <= today
                        && (m.ValidUntil == null || today <= m.ValidUntil))
            .OrderByDescending(m => m.DecidedAt ?? m.CreatedAt).FirstOrDefaultAsync();
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
