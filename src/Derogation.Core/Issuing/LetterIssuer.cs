using Derogation.Core.Navigation;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Issuing;

/// <summary>A reasoned letter to issue: its content, what it announces (in French and English), and who gets a copy without an account.</summary>
public sealed record LetterToIssue(
    Application Application,
    DecisionLetter Content,
    IssuedDocumentKind Kind,
    string FileName,
    DateTimeOffset IssuedAt,
    string VerificationCode,
    IReadOnlyList<LetterRecipient> WithoutAccount,
    string French,
    string English,
    string? Wording = null);

/// <summary>
/// Issues a letter inside the caller's transaction: renders it once, stores it with its SHA-256, and writes the
/// notifications to the outbox — a link for the manufacturer's and the applicant's users; the letter attached (or a
/// single-use link, per <see cref="LetterOptions"/>) for those without an account. Decisions, suspensions,
/// reinstatements and withdrawals all go through here.
/// </summary>
public sealed class LetterIssuer(DerogationDbContext db, LetterOptions options, TimeProvider clock, IPortalLinks links)
{
    public async Task<IssuedDocument> IssueAsync(LetterToIssue letter)
    {
        var application = letter.Application;
        var pdf = DecisionLetterPdf.Render(letter.Content);
        var document = new IssuedDocument
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Kind = letter.Kind,
            FileName = letter.FileName,
            Content = pdf,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)),
            CreatedAt = letter.IssuedAt,
            Wording = letter.Wording,
        };
        db.IssuedDocuments.Add(document);

        var link = links.Application(application.Reference!);
        var accounts = await db.Users.AsNoTracking()
            .Where(u => (u.OrganisationId == application.ManufacturerId || u.OrganisationId == application.FilingOrganisationId) && u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!).ToListAsync();
        foreach (var email in accounts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Enqueue(clock, email, $"Demande {application.Reference} : {letter.French} / {letter.English}",
                $"Bonjour,\n\nDemande de dérogation {application.Reference} : {letter.French}. " +
                $"La lettre de l'ANSM est disponible sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nDerogation application {application.Reference}: {letter.English}. ANSM's letter is available on the portal:\n\n{link}\n\n" +
                "ANSM — CE-marking derogation portal",
                letter.Kind.ToString(), application.Id);
        }

        // A manufacturer created from a mandate letter that nobody has claimed yet: its contact gets the letter itself.
        var unclaimed = application.ManufacturerId is { } manufacturerId
            ? (await db.UnclaimedContactsAsync([manufacturerId])).Values.Select(email => new LetterRecipient("Fabricant", email))
            : [];
        foreach (var recipient in letter.WithoutAccount.Concat(unclaimed).DistinctBy(r => r.Email.ToLowerInvariant()))
        {
            var verification = $"Son authenticité peut être vérifiée à l'adresse {links.Verification(letter.VerificationCode)}";
            var subject = $"Copie d'une décision de l'ANSM — demande de dérogation {application.Reference}";
            if (options.CopiesWithoutAccount == CopiesWithoutAccount.SingleUseLink)
            {
                var (token, singleUse) = LetterLink.Create(application.Id, document.Id, letter.IssuedAt, options.LinkValidityDays);
                db.LetterLinks.Add(singleUse);
                db.Enqueue(clock, recipient.Email, subject,
                    $"Madame, Monsieur,\n\nLa décision de l'ANSM sur la demande de dérogation au marquage CE n° {application.Reference} ({letter.French}) vous est adressée en copie. " +
                    $"Ce lien ouvre la lettre une seule fois, pendant {options.LinkValidityDays} jours ; enregistrez-la à l'ouverture :\n\n{links.SingleUseLetter(token)}\n\n{verification}\n\n" +
                    "ANSM — Agence nationale de sécurité du médicament et des produits de santé",
                    "LetterCopy", application.Id);
                continue;
            }

            db.Enqueue(clock, recipient.Email, subject,
                $"Madame, Monsieur,\n\nVous trouverez ci-joint, pour information, la décision de l'ANSM sur la demande de dérogation au marquage CE n° {application.Reference} " +
                $"({letter.French}), dont vous êtes destinataire en copie.\n\n{verification}\n\n" +
                "ANSM — Agence nationale de sécurité du médicament et des produits de santé",
                "LetterCopy", application.Id, document.Id);
        }

        return document;
    }
}
