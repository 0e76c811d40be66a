using Derogation.Core;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages;

/// <summary>
/// Public: confirms a decision letter is genuine from the code printed on it — reference, kind, decision, date,
/// manufacturer, device and the letter's SHA-256; never anything about the patient. An unknown code is a plain
/// "not found"; codes carry 80 random bits, so they cannot be guessed.
/// </summary>
public sealed class VerificationModel(DerogationDbContext db, TimeProvider clock) : PageModel
{
    public sealed record Verified(string Reference, ApplicationKind Kind, string DecisionKey, ApplicationStatus Status, DateTimeOffset DecidedAt,
        string Manufacturer, string? Device, string Sha256, string SignatoryName, Guid DocumentId);

    /// <summary>A later letter that rectifies this one: its date and code.</summary>
    public sealed record Rectifier(DateTimeOffset SignedAt, string Code);

    public IReadOnlyList<Rectifier> RectifiedBy { get; private set; } = [];

    /// <summary>Granted, but its validity begins later: the page says "À venir" with the start date, not "Accordée".</summary>
    public DateOnly? StartsOn { get; private set; }

    public Verified? Letter { get; private set; }

    public string Code { get; private set; } = "";

    /// <summary>No code yet: the page offers the form to type one (as printed under the letter's QR code).</summary>
    public bool Asking { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            Asking = true;
            return Page();
        }

        // Typed without its dashes, in lower case, with spaces: read as printed.
        Code = DecisionService.NormaliseVerificationCode(code);
        Letter = await db.Decisions.AsNoTracking().Where(d => d.VerificationCode == Code)
            .Join(db.Applications, d => d.ApplicationId, a => a.Id, (d, a) => new { d, a })
            .Join(db.IssuedDocuments, x => x.d.LetterDocumentId, i => i.Id, (x, i) => new Verified(
                x.a.Reference!, x.a.Kind, "Outcome" + x.d.Outcome, x.a.Status, x.d.DecidedAt, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256, x.d.SignatoryName, i.Id))
            .SingleOrDefaultAsync()
            // A suspension, reinstatement or withdrawal letter carries its own code.
            ?? await db.GrantMeasures.AsNoTracking().Where(m => m.VerificationCode == Code)
                .Join(db.Applications, m => m.ApplicationId, a => a.Id, (m, a) => new { m, a })
                .Join(db.IssuedDocuments, x => x.m.LetterDocumentId, i => i.Id, (x, i) => new Verified(
                    x.a.Reference!, x.a.Kind, "MeasureKind" + x.m.Kind, x.a.Status, x.m.DecidedAt, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256, x.m.SignatoryName, i.Id))
                .SingleOrDefaultAsync()
            // A rectifying decision too.
            ?? await db.Proposals.AsNoTracking().Where(p => p.VerificationCode == Code && p.State == ProposalState.Signed)
                .Join(db.Applications, p => p.ApplicationId, a => a.Id, (p, a) => new { p, a })
                .Join(db.IssuedDocuments, x => x.p.LetterDocumentId, i => i.Id, (x, i) => new Verified(
                    x.a.Reference!, x.a.Kind, "ProposalActRectification", x.a.Status, x.p.SignedAt!.Value, x.a.Manufacturer!.LegalName, x.a.DeviceName, i.Sha256,
                    db.Users.Where(u => u.Id == x.p.SignedByUserId).Select(u => u.FullName).First(), i.Id))
                .SingleOrDefaultAsync();
        if (Letter is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        // Only a granted derogation can be waiting for its start date: the decision is read for that case alone.
        var validFrom = Letter.Status != ApplicationStatus.Granted ? null
            : await db.Decisions.AsNoTracking().Where(d => db.Applications.Any(a => a.Id == d.ApplicationId && a.Reference == Letter.Reference))
                .Select(d => d.Conditions).SingleOrDefaultAsync() is { } conditions ? conditions.ValidFrom : null;
        StartsOn = DerogationStatus.NotYetInForce(Letter.Status, validFrom, FrenchTime.Today(clock)) ? validFrom : null;
        RectifiedBy = (await db.Proposals.AsNoTracking()
                .Where(p => p.RectifiesDocumentId == Letter.DocumentId && p.State == ProposalState.Signed).OrderBy(p => p.SignedAt)
                .Select(p => new { p.SignedAt, p.VerificationCode }).ToListAsync())
            .Select(p => new Rectifier(p.SignedAt!.Value, p.VerificationCode!)).ToList();

        return Page();
    }
}
