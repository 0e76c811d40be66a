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
/// single-use link, per <see cref="LetterOptions"/>) for those without an account, in the words ANSM last gave them
/// (<see cref="LetterEmails"/>; their versions are recorded on the letter beside the paragraphs'). Decisions, measures
/// and rectifications all go through here.
/// </summary>
public sealed class LetterIssuer(DerogationDbContext db, LetterOptions options, TimeProvider clock, IPortalLinks links, LetterWordings wordings)
{
    public async Task<IssuedDocument> IssueAsync(LetterToIssue letter)
    {
        var application = letter.Application;
        var (emails, emailsLabel) = await wordings.ForEmailsAsync();
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
            Wording = letter.Wording is null ? emailsLabel : $"{letter.Wording}; {emailsLabel}",
        };
        db.IssuedDocuments.Add(document);

        var link = links.Application(application.Reference!);
        var accounts = await db.Users.AsNoTracking()
            .Where(u => (u.OrganisationId == application.ManufacturerId || u.OrganisationId == application.FilingOrganisationId) && u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!).ToListAsync();
        foreach (var email in accounts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Enqueue(clock, email, $"Demande {application.Reference} : {letter.French} / {letter.English}",
                LetterEmails.Fill(emails.Notice, new Dictionary<string, string>
                {
                    ["{reference}"] = application.Reference!, ["{objet}"] = letter.French, ["{object}"] = letter.English, ["{lien}"] = link,
                }),
                letter.Kind.ToString(), application.Id);
        }

        // A manufacturer created from a mandate letter that nobody has claimed yet: its contact gets the letter itself.
        var unclaimed = application.ManufacturerId is { } manufacturerId
            ? (await db.UnclaimedContactsAsync([manufacturerId])).Values.Select(email => new LetterRecipient("Fabricant", email))
            : [];
        foreach (var recipient in letter.WithoutAccount.Concat(unclaimed).DistinctBy(r => r.Email.ToLowerInvariant()))
        {
            var values = new Dictionary<string, string>
            {
                ["{reference}"] = application.Reference!, ["{objet}"] = letter.French, ["{verification}"] = links.Verification(letter.VerificationCode),
                ["{jours}"] = options.LinkValidityDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            var subject = $"Copie d'une décision de l'ANSM — demande de dérogation {application.Reference}";
            if (options.CopiesWithoutAccount == CopiesWithoutAccount.SingleUseLink)
            {
                var (token, singleUse) = LetterLink.Create(application.Id, document.Id, letter.IssuedAt, options.LinkValidityDays);
                db.LetterLinks.Add(singleUse);
                values["{lien}"] = links.SingleUseLetter(token);
                db.Enqueue(clock, recipient.Email, subject, LetterEmails.Fill(emails.CopyLink, values), "LetterCopy", application.Id);
                continue;
            }

            db.Enqueue(clock, recipient.Email, subject, LetterEmails.Fill(emails.Copy, values), "LetterCopy", application.Id, document.Id);
        }

        return document;
    }
}
