using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum DecisionError
{
    None,
    NotFound,
    /// <summary>Only an application under review can be decided: not a draft, a withdrawn or an already decided one.</summary>
    NotUnderReview,
    ReasonsRequired,
    ValidityRequired,
    ValidityEndBeforeStart,
    NotASignatory,
    /// <summary>Someone named in copy without a name or a valid e-mail address.</summary>
    RecipientInvalid,
    /// <summary>Someone changed the application since the form was displayed.</summary>
    ChangedMeanwhile,
}

public sealed record DecisionInput(
    DecisionOutcome Outcome, string? Reasons, DecisionConditions Conditions, Guid SignatoryUserId, IReadOnlyList<LetterRecipient>? OtherRecipients = null);

/// <summary>
/// Taking a decision: the rules are enforced here, not only in the form — reasons for every outcome, a validity
/// period for a global grant, a real signatory — and the decision, the application's new status and the audit
/// event are saved in one transaction.
/// </summary>
public sealed class DecisionService(DerogationDbContext db, UserManager<PortalUser> users, OutboxSignal outbox, LetterOptions letters, TimeProvider clock)
{
    public const string DefaultSignatoryTitle = "Par délégation du directeur général de l'ANSM";

    /// <summary>
    /// Decides, and in the same transaction renders the letter once, stores it with its SHA-256, and writes the
    /// notifications to the outbox: the manufacturer and the applicant get a link, those without an account
    /// (prescriber, establishment director, others named) the letter attached.
    /// </summary>
    public async Task<(DecisionError Error, Decision? Decision)> DecideAsync(
        string reference, DecisionInput input, Guid reviewerId, string portalBaseUrl, uint? rowVersionSeenByUser = null)
    {
        if (string.IsNullOrWhiteSpace(input.Reasons))
        {
            return (DecisionError.ReasonsRequired, null);
        }

        if (input.OtherRecipients?.Any(r => string.IsNullOrWhiteSpace(r.Name) || !System.Net.Mail.MailAddress.TryCreate(r.Email, out _)) == true)
        {
            return (DecisionError.RecipientInvalid, null);
        }

        var conditions = input.Outcome == DecisionOutcome.Grant ? input.Conditions : new DecisionConditions();
        if (conditions.ValidFrom is not null && conditions.ValidUntil < conditions.ValidFrom)
        {
            return (DecisionError.ValidityEndBeforeStart, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // Deciders queue here: the second finds the application decided.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return (DecisionError.NotFound, null);
        }

        if (rowVersionSeenByUser is not null && rowVersionSeenByUser != application.RowVersion)
        {
            return (application.Status == ApplicationStatus.UnderReview ? DecisionError.ChangedMeanwhile : DecisionError.NotUnderReview, null);
        }

        if (application.Status != ApplicationStatus.UnderReview)
        {
            return (DecisionError.NotUnderReview, null);
        }

        if (input.Outcome == DecisionOutcome.Grant && application.Kind == ApplicationKind.Global && conditions.ValidUntil is null)
        {
            return (DecisionError.ValidityRequired, null);
        }

        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        if (signatory is null || !await users.IsInRoleAsync(signatory, Roles.Signatory))
        {
            return (DecisionError.NotASignatory, null);
        }

        var version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version);
        var now = clock.GetUtcNow();
        var decision = new Decision
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Outcome = input.Outcome,
            Reasons = input.Reasons.Trim(),
            Conditions = conditions,
            SignatoryUserId = signatory.Id,
            SignatoryName = signatory.FullName,
            SignatoryTitle = string.IsNullOrWhiteSpace(signatory.JobTitle) ? DefaultSignatoryTitle : signatory.JobTitle,
            Version = version,
            DecidedAt = now,
            DecidedByUserId = reviewerId,
            OtherRecipients = input.OtherRecipients?.Select(r => new LetterRecipient(r.Name.Trim(), r.Email.Trim())).ToList() ?? [],
            VerificationCode = NewVerificationCode(),
        };
        db.Decisions.Add(decision);
        await IssueLetterAsync(application, decision, portalBaseUrl);
        var from = application.Status;
        application.Status = input.Outcome switch
        {
            DecisionOutcome.Grant => ApplicationStatus.Granted,
            DecisionOutcome.Refuse => ApplicationStatus.Refused,
            _ => ApplicationStatus.Closed,
        };
        application.UpdatedAt = now;
        db.Record(clock, AuditActions.Decided, reviewerId, nameof(Application), application.Id.ToString(), fromState: from.ToString(), toState: application.Status.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return (DecisionError.None, decision);
    }

    /// <summary>The letter as it would be issued, marked as a draft, from what the reviewer has typed so far; nothing is saved.</summary>
    public async Task<byte[]?> PreviewAsync(string reference, DecisionInput input, string portalBaseUrl)
    {
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return null;
        }

        var signatory = await users.FindByIdAsync(input.SignatoryUserId.ToString());
        var decision = new Decision
        {
            Outcome = input.Outcome,
            Reasons = string.IsNullOrWhiteSpace(input.Reasons) ? "(motifs à rédiger)" : input.Reasons,
            Conditions = input.Outcome == DecisionOutcome.Grant ? input.Conditions : new DecisionConditions(),
            SignatoryName = signatory?.FullName ?? "(signataire à choisir)",
            SignatoryTitle = string.IsNullOrWhiteSpace(signatory?.JobTitle) ? DefaultSignatoryTitle : signatory.JobTitle,
            Version = await db.ApplicationVersions.Where(v => v.ApplicationId == application.Id).MaxAsync(v => v.Version),
            DecidedAt = clock.GetUtcNow(),
            OtherRecipients = input.OtherRecipients?.ToList() ?? [],
        };
        return DecisionLetterPdf.Render(DecisionLetterBuilder.Build(await SourceAsync(application, decision, portalBaseUrl, draft: true)));
    }

    private async Task<LetterSource> SourceAsync(Application application, Decision decision, string portalBaseUrl, bool draft)
    {
        var answers = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id && v.Version == decision.Version).Select(v => v.Answers).SingleAsync();
        var manufacturer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.ManufacturerId);
        var filer = await db.Organisations.AsNoTracking().SingleAsync(o => o.Id == application.FilingOrganisationId);
        return new LetterSource(application, answers, manufacturer, filer, decision, decision.VerificationCode, portalBaseUrl, draft);
    }

    private async Task IssueLetterAsync(Application application, Decision decision, string portalBaseUrl)
    {
        var source = await SourceAsync(application, decision, portalBaseUrl, draft: false);
        var pdf = DecisionLetterPdf.Render(DecisionLetterBuilder.Build(source));
        var letter = new IssuedDocument
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Kind = IssuedDocumentKind.DecisionLetter,
            FileName = $"decision-{application.Reference}.pdf",
            Content = pdf,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)),
            CreatedAt = decision.DecidedAt,
        };
        db.IssuedDocuments.Add(letter);
        decision.LetterDocumentId = letter.Id;

        var outcome = decision.Outcome switch
        {
            DecisionOutcome.Grant => ("accordée", "granted"),
            DecisionOutcome.Refuse => ("refusée", "refused"),
            _ => ("close sans décision", "closed without decision"),
        };
        var link = $"{portalBaseUrl.TrimEnd('/')}/demandes/{application.Reference}";
        var accounts = await db.Users.AsNoTracking()
            .Where(u => (u.OrganisationId == application.ManufacturerId || u.OrganisationId == application.FilingOrganisationId) && u.EmailConfirmed && u.Email != null)
            .Select(u => u.Email!).ToListAsync();
        foreach (var email in accounts.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Enqueue(clock, email, $"Demande {application.Reference} : décision de l'ANSM / ANSM's decision",
                $"Bonjour,\n\nL'ANSM a pris sa décision sur la demande de dérogation {application.Reference} : demande {outcome.Item1}. " +
                $"La lettre de décision est disponible sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nANSM has decided on derogation application {application.Reference}: {outcome.Item2}. The decision letter is available on the portal:\n\n{link}\n\n" +
                "ANSM — CE-marking derogation portal",
                AuditActions.Decided, application.Id);
        }

        foreach (var recipient in DecisionLetterBuilder.RecipientsWithoutAccount(source.Answers, decision, application.Kind))
        {
            var verification = $"Son authenticité peut être vérifiée à l'adresse {portalBaseUrl.TrimEnd('/')}/verification/{decision.VerificationCode}";
            var subject = $"Copie de la décision de l'ANSM — demande de dérogation {application.Reference}";
            if (letters.CopiesWithoutAccount == CopiesWithoutAccount.SingleUseLink)
            {
                var (token, singleUse) = LetterLink.Create(application.Id, letter.Id, decision.DecidedAt, letters.LinkValidityDays);
                db.LetterLinks.Add(singleUse);
                db.Enqueue(clock, recipient.Email, subject,
                    $"Madame, Monsieur,\n\nLa décision de l'ANSM sur la demande de dérogation au marquage CE n° {application.Reference} (demande {outcome.Item1}) vous est adressée en copie. " +
                    $"Ce lien ouvre la lettre une seule fois, pendant {letters.LinkValidityDays} jours ; enregistrez-la à l'ouverture :\n\n{portalBaseUrl.TrimEnd('/')}/lettre/{token}\n\n{verification}\n\n" +
                    "ANSM — Agence nationale de sécurité du médicament et des produits de santé",
                    "DecisionLetterCopy", application.Id);
                continue;
            }

            db.Enqueue(clock, recipient.Email, subject,
                $"Madame, Monsieur,\n\nVous trouverez ci-joint, pour information, la décision de l'ANSM sur la demande de dérogation au marquage CE n° {application.Reference} " +
                $"(demande {outcome.Item1}), dont vous êtes destinataire en copie.\n\n{verification}\n\n" +
                "ANSM — Agence nationale de sécurité du médicament et des produits de santé",
                "DecisionLetterCopy", application.Id, letter.Id);
        }
    }

    /// <summary>16 characters from an alphabet without look-alikes (80 random bits), grouped by four for reading aloud.</summary>
    public static string NewVerificationCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var characters = bytes.Select(b => alphabet[b % alphabet.Length]).ToArray();
        return string.Join("-", characters.Chunk(4).Select(chunk => new string(chunk)));
    }

    public Task<Decision?> ForAsync(Guid applicationId) =>
        db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId);

    public async Task<IReadOnlyList<PortalUser>> SignatoriesAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Signatory)).OrderBy(u => u.FullName).ToList();
}
