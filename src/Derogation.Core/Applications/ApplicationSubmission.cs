using Derogation.Core.Navigation;
using System.Globalization;
using System.Security.Cryptography;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using FluentValidation.Results;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Localization;
using Npgsql;

namespace Derogation.Core.Applications;

public enum SubmissionOutcome
{
    Submitted,
    /// <summary>Something mandatory is missing or a rule is broken: nothing changed.</summary>
    Incomplete,
    /// <summary>Submitted already (a double click, a second tab): nothing changed.</summary>
    AlreadySubmitted,
    NotFound,
    /// <summary>A consultancy's mandate from the manufacturer is no longer in force: nothing changed, the draft is kept.</summary>
    NoMandateInForce,
}

public sealed record SubmissionResult(SubmissionOutcome Outcome, Application? Application = null, IReadOnlyList<(WizardStep Step, ValidationFailure Failure)>? Missing = null);

/// <summary>
/// Submission, in one transaction: every rule checked again on the server, a reference allocated without gaps
/// or duplicates, the answers frozen as version 1, the deposit receipt rendered and stored, the audit event
/// written, and the notifications queued in the outbox (the filer; the manufacturer's users when a consultant
/// filed). Submitting twice submits once.
/// </summary>
public sealed class ApplicationSubmission(
    DerogationDbContext db, ApplicationDrafts drafts, Mandates.MandateService mandates, Documents.DocumentStore documents, OutboxSignal outbox, TimeProvider clock, ReviewTargets targets, IPortalLinks links, Review.ReviewAlerts alerts)
{
    public async Task<SubmissionResult> SubmitAsync(Guid id, Viewer viewer, uint? rowVersionSeenByUser, RuleContext rules)
    {
        await using var transaction = await db.Database.BeginTransactionAsync();
        // Lock the application first: a second click or tab waits here, then finds it submitted.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE id = {id} FOR UPDATE");
        var draft = await db.Applications.Include(a => a.Manufacturer).Include(a => a.FilingOrganisation).Include(a => a.Extends)
            .VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Id == id && a.FilingOrganisationId == viewer.OrganisationId);
        if (draft is null)
        {
            return new SubmissionResult(SubmissionOutcome.NotFound);
        }

        if (draft.Status != ApplicationStatus.Draft)
        {
            return new SubmissionResult(SubmissionOutcome.AlreadySubmitted, draft);
        }

        if (rowVersionSeenByUser is not null)
        {
            db.Entry(draft).Property(a => a.RowVersion).OriginalValue = rowVersionSeenByUser.Value;
        }

        // Who files is established here again, whatever the draft holds: a consultancy under a mandate still in force.
        var standing = await drafts.EstablishFilerAsync(draft);
        if (standing != DraftError.None)
        {
            return new SubmissionResult(standing == DraftError.NoMandateInForce ? SubmissionOutcome.NoMandateInForce : SubmissionOutcome.NotFound, draft);
        }

        // The server never trusts the pages: every step is checked again, completely.
        var missing = WizardSteps.For(draft.Kind)
            .SelectMany(step => step.Validate(draft.Answers, rules, true).Errors.Select(failure => (step, failure)))
            .ToList();
        if (missing.Count > 0)
        {
            return new SubmissionResult(SubmissionOutcome.Incomplete, draft, missing);
        }

        var mandate = await AttachMandateAsync(draft, viewer);

        var now = clock.GetUtcNow();
        var year = FrenchTime.InParis(now).Year;
        var prefix = draft.Kind == ApplicationKind.Individual ? "DIV" : "DGL";
        var number = await NextNumberAsync(prefix, year, transaction);
        draft.Reference = $"{prefix}-{year}-{number:D5}";
        draft.Status = ApplicationStatus.Submitted;
        draft.SubmittedAt = now;
        draft.LegalBasis = draft.Answers.Parties.LegalBasis;
        draft.Urgency = draft.Kind == ApplicationKind.Individual ? draft.Answers.Patient.Urgency : Urgency.Planned;
        draft.TargetDate = targets.TargetFrom(FrenchTime.Today(clock), draft.Urgency ?? Urgency.Planned);
        draft.UpdatedAt = now;
        db.ApplicationVersions.Add(new ApplicationVersion
        {
            ApplicationId = draft.Id,
            Version = 1,
            Answers = AnswersJson.Copy(draft.Answers),
            CreatedAt = now,
            CreatedByUserId = viewer.UserId,
        });
        var receipt = DepositReceiptPdf.Render(ReceiptFor(draft, mandate));
        db.IssuedDocuments.Add(new IssuedDocument
        {
            Id = Guid.NewGuid(),
            ApplicationId = draft.Id,
            Kind = IssuedDocumentKind.DepositReceipt,
            FileName = $"recepisse-{draft.Reference}.pdf",
            Content = receipt,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(receipt)),
            CreatedAt = now,
        });
        db.Record(clock, AuditActions.Submitted, viewer.UserId, nameof(Application), draft.Id.ToString(), draft.Reference,
            fromState: nameof(ApplicationStatus.Draft), toState: nameof(ApplicationStatus.Submitted));
        await NotifyAsync(draft, viewer);
        await alerts.AnnounceAsync(draft);

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateConcurrencyException)
        {
            // Someone submitted (or changed) it in between: this attempt changes nothing, its number included.
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
            var current = await db.Applications.AsNoTracking().VisibleTo(viewer).SingleOrDefaultAsync(a => a.Id == id);
            return new SubmissionResult(current?.Status == ApplicationStatus.Draft ? SubmissionOutcome.Incomplete : SubmissionOutcome.AlreadySubmitted, current, []);
        }

        await transaction.CommitAsync();
        outbox.Wake();
        return new SubmissionResult(SubmissionOutcome.Submitted, draft);
    }

    /// <summary>
    /// Filed under a mandate: the mandate in force is recorded on the application and, unless the filer uploaded it,
    /// attached as a document — the verified letter, or the portal's attestation of a mandate granted in the portal.
    /// </summary>
    private async Task<Mandates.Mandate?> AttachMandateAsync(Application draft, Viewer viewer)
    {
        var holder = draft.FilingOrganisation;
        if (!holder.Kind.FilesUnderMandate())
        {
            return null;
        }

        // EstablishFilerAsync has just found it in force, in this transaction.
        var mandate = (await mandates.InForceAsync(holder.Id, draft.ManufacturerId!.Value))!;
        draft.MandateId = mandate.Id;
        if (draft.Answers.Documents.Any(d => d.Type == Documents.DocumentType.Mandate))
        {
            return mandate;
        }

        var (fileName, bytes) = mandate.LetterContent is { } letter
            ? (mandate.LetterFileName ?? "lettre-de-mandat.pdf", letter)
            : (Mandates.MandateAttestation.FileName(mandate),
                Mandates.MandateAttestation.Render(mandate, draft.Manufacturer!, holder, FiledAsText(draft.Answers.Parties.FiledAs)));
        using var content = new MemoryStream(bytes);
        var document = await documents.WriteAsync(draft.Id, Documents.DocumentType.Mandate, fileName, content,
            new Documents.Inspected(Documents.AcceptedFormat.Pdf, null, null, []));
        document.AttachedByPortal = true;
        draft.Answers.Documents.Add(document);
        db.Record(clock, AuditActions.MandateAttached, viewer.UserId, nameof(Application), draft.Id.ToString(), $"mandate={mandate.Id}");
        return mandate;
    }

    private static string FiledAsText(FiledAs? filedAs) => filedAs switch
    {
        FiledAs.Importer => "importateur",
        FiledAs.Distributor => "distributeur",
        _ => "consultant mandaté",
    };

    /// <summary>
    /// The person who filed and, when someone filed under its mandate, the manufacturer (its users, or the contact
    /// address until it is claimed) — in French, then English: the manufacturer may not share the filer's language.
    /// </summary>
    private async Task NotifyAsync(Application application, Viewer viewer)
    {
        var filer = await db.Users.AsNoTracking().Where(u => u.Id == viewer.UserId && u.Email != null).Select(u => u.Email!).ToListAsync();
        var recipients = application.MandateId is null ? filer : [.. filer, .. await db.EmailsAsync(application.ManufacturerId)];
        var (reference, device) = (application.Reference, application.DeviceName ?? "");
        var (manufacturer, filedBy) = (application.Manufacturer!.LegalName, application.FilingOrganisation.LegalName);
        var link = links.Application(reference!);
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            db.Enqueue(clock, recipient, $"Demande {reference} déposée / Application {reference} submitted",
                $"Bonjour,\n\nLa demande de dérogation {reference} ({device}) a été déposée auprès de l'ANSM par {filedBy} pour le fabricant {manufacturer}. " +
                $"Le récépissé de dépôt est disponible sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nThe derogation application {reference} ({device}) has been submitted to ANSM by {filedBy} for the manufacturer {manufacturer}. " +
                $"The deposit receipt is available on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal",
                AuditActions.Submitted, application.Id);
        }
    }

    private async Task<int> NextNumberAsync(string prefix, int year, IDbContextTransaction transaction)
    {
        // The counter row stays locked until this transaction ends, so concurrent submissions queue here.
        await using var next = new NpgsqlCommand(
            """
            INSERT INTO reference_counters (prefix, year, last_number) VALUES (@prefix, @year, 1)
            ON CONFLICT (prefix, year) DO UPDATE SET last_number = reference_counters.last_number + 1
            RETURNING last_number
            """,
            (NpgsqlConnection)db.Database.GetDbConnection(), (NpgsqlTransaction)transaction.GetDbTransaction());
        next.Parameters.AddWithValue("prefix", prefix);
        next.Parameters.AddWithValue("year", year);
        return (int)(await next.ExecuteScalarAsync())!;
    }

    /// <summary>The receipt is in French, the language of ANSM's acts, whatever the user's language.</summary>
    private static DepositReceipt ReceiptFor(Application application, Mandates.Mandate? mandate)
    {
        var answers = application.Answers;
        return new DepositReceipt(
            application.Reference!,
            application.SubmittedAt!.Value,
            CoreText.French("Kind" + application.Kind),
            CoreText.French("LegalBasis" + answers.Parties.LegalBasis),
            $"{application.Manufacturer!.LegalName} ({application.Manufacturer.Country})",
            application.FilingOrganisation.LegalName,
            CoreText.French("FiledAs" + answers.Parties.FiledAs),
            answers.Device.TradeName ?? "",
            answers.Device.Model,
            answers.Device.References,
            answers.Documents.Select(d => new ReceiptDocument(
                CoreText.French("DocumentType" + d.Type) + (d.AttachedByPortal ? " (joint automatiquement par le portail)" : ""), d.FileName, d.SizeBytes, d.Sha256)).ToList(),
            answers.Device.ReferenceList.Select(r => (r.Code ?? "", r.Description ?? "")).ToList(),
            answers.EarlierDerogations.HasEarlierDerogations == true
                ? answers.EarlierDerogations.Derogations.Select(d =>
                    CoreText.French("EarlierDerogationSummary", d.DecisionReference ?? "", d.PatientsTreated ?? 0, d.DevicesUsed ?? 0, d.Incidents ?? "")).ToList()
                : [],
            application.Extends?.Reference,
            mandate is null ? null : Mandates.MandateAttestation.Describe(mandate),
            answers.PrescriberStatement is { } statement
                ? $"rempli par le prescripteur, {statement.Name} ({statement.Specialty}, RPPS {statement.Rpps}), le {FrenchTime.InParis(statement.CompletedAt):dd/MM/yyyy}"
                : null);
    }
}
