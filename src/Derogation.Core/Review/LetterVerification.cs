using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>A letter found by the code printed on it: what the public may know of it.</summary>
public sealed record VerifiedLetter(string Reference, ApplicationKind Kind, string DecisionKey, ApplicationStatus Status, DateTimeOffset DecidedAt,
    string Manufacturer, string? Device, string Sha256, string SignatoryName, Guid DocumentId);

/// <summary>A later letter that rectifies this one: its date and code.</summary>
public sealed record LetterRectifier(DateTimeOffset SignedAt, string Code);

/// <summary>What a verification code says: the letter, the date its derogation starts when still to come, the letters rectifying it.</summary>
public sealed record LetterVerificationResult(string Code, VerifiedLetter? Letter, DateOnly? StartsOn, IReadOnlyList<LetterRectifier> RectifiedBy);

/// <summary>
/// Confirms a letter is genuine from the code printed on it (the public page /verification and the API): reference,
/// kind, decision, date, manufacturer, device and the letter's SHA-256 — never anything about the patient.
/// </summary>
public sealed class LetterVerification(DerogationDbContext db, TimeProvider clock)
{
    public async Task<LetterVerificationResult> FindAsync(string code)
    {
        // Typed without its dashes, in lower case, with spaces: read as printed.
        var normalised = DecisionService.NormaliseVerificationCode(code);
        var letter = await db.Decisions.AsNoTracking().Where(d => d.VerificationCode == normalised)
            .Join(db.Applications, d => d.ApplicationId, a => a.Id, (d, a) => new { d, a })
            .Join(db.IssuedDocuments, x => x.d.LetterDocumentId, i => i.Id, (x, i) => new VerifiedLetter(
                x.a.Reference!, x.a.Kind, "Outcome" + x.d.Outcome, x.a.Status, x.d.DecidedAt, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256, x.d.SignatoryName, i.Id))
            .SingleOrDefaultAsync()
            // A suspension, reinstatement or withdrawal letter carries its own code.
            ?? await db.GrantMeasures.AsNoTracking().Where(m => m.VerificationCode == normalised)
                .Join(db.Applications, m => m.ApplicationId, a => a.Id, (m, a) => new { m, a })
                .Join(db.IssuedDocuments, x => x.m.LetterDocumentId, i => i.Id, (x, i) => new VerifiedLetter(
                    x.a.Reference!, x.a.Kind, "MeasureKind" + x.m.Kind, x.a.Status, x.m.DecidedAt, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256, x.m.SignatoryName, i.Id))
                .SingleOrDefaultAsync()
            // A rectifying decision too.
            ?? await db.Proposals.AsNoTracking().Where(p => p.VerificationCode == normalised && p.State == ProposalState.Signed)
                .Join(db.Applications, p => p.ApplicationId, a => a.Id, (p, a) => new { p, a })
                .Join(db.IssuedDocuments, x => x.p.LetterDocumentId, i => i.Id, (x, i) => new VerifiedLetter(
                    x.a.Reference!, x.a.Kind, "ProposalActRectification", x.a.Status, x.p.SignedAt!.Value, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256,
                    db.Users.Where(u => u.Id == x.p.SignedByUserId).Select(u => u.FullName).First(), i.Id))
                .SingleOrDefaultAsync();
        if (letter is null)
        {
            return new LetterVerificationResult(normalised, null, null, []);
        }

        // Only a granted derogation can be waiting for its start date: the decision is read for that case alone.
        var validFrom = letter.Status != ApplicationStatus.Granted ? null
            : await db.Decisions.AsNoTracking().Where(d => db.Applications.Any(a => a.Id == d.ApplicationId && a.Reference == letter.Reference))
                .Select(d => d.Conditions).SingleOrDefaultAsync() is { } conditions ? conditions.ValidFrom : null;
        var startsOn = DerogationStatus.NotYetInForce(letter.Status, validFrom, FrenchTime.Today(clock)) ? validFrom : null;
        var rectifiedBy = (await db.Proposals.AsNoTracking()
                .Where(p => p.RectifiesDocumentId == letter.DocumentId && p.State == ProposalState.Signed).OrderBy(p => p.SignedAt)
                .Select(p => new { p.SignedAt, p.VerificationCode }).ToListAsync())
            .Select(p => new LetterRectifier(p.SignedAt!.Value, p.VerificationCode!)).ToList();

        return new LetterVerificationResult(normalised, letter, startsOn, rectifiedBy);
    }
}
