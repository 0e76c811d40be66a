using Derogation.Core.Navigation;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Applications;

public enum DraftError
{
    None,
    /// <summary>A consultancy chose a manufacturer whose mandate to it is not in force.</summary>
    NoMandateInForce,
    /// <summary>Only manufacturers and consultancies file.</summary>
    NotAFiler,
    /// <summary>No granted global derogation with that reference is visible to the viewer.</summary>
    NothingToExtend,
    /// <summary>No submitted individual application with that reference was filed by the viewer's organisation.</summary>
    NothingToCopy,
}

/// <summary>
/// Drafts: the wizard's state is the draft application in the database, saved at every step. Only the
/// organisation that created a draft may open, change or delete it.
/// </summary>
public sealed class ApplicationDrafts(DerogationDbContext db, MandateService mandates, TimeProvider clock, OutboxSignal outbox, IPortalLinks links, RememberedDrafts remembered)
{
    public async Task<(DraftError Error, Application? Draft)> CreateAsync(ApplicationKind kind, Viewer viewer, Guid? manufacturerId, EligibilityAnswers? eligibility = null)
    {
        FiledAs filedAs;
        switch (viewer.OrganisationKind)
        {
            case OrganisationKind.Manufacturer:
                manufacturerId = viewer.OrganisationId;
                filedAs = FiledAs.Manufacturer;
                break;
            case var holderKind when holderKind.FilesUnderMandate():
                var allowed = await mandates.ManufacturersInForceAsync(viewer.OrganisationId);
                if (manufacturerId is null || allowed.All(m => m.Id != manufacturerId))
                {
                    return (DraftError.NoMandateInForce, null);
                }

                filedAs = holderKind.FiledAsUnderMandate();
                break;
            default:
                return (DraftError.NotAFiler, null);
        }

        var now = clock.GetUtcNow();
        var draft = new Application
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Status = ApplicationStatus.Draft,
            FilingOrganisationId = viewer.OrganisationId,
            CreatedByUserId = viewer.UserId,
            ManufacturerId = manufacturerId,
            CreatedAt = now,
            UpdatedAt = now,
            // Only answers that lead to a derogation are kept: the check's other outcomes open no wizard.
            Answers = new ApplicationAnswers { Parties = { FiledAs = filedAs }, Eligibility = eligibility is not null && Eligibility.Assess(eligibility) == EligibilityOutcome.Derogation ? eligibility : null },
        };
        db.Applications.Add(draft);
        db.Record(clock, AuditActions.DraftCreated, viewer.UserId, nameof(Application), draft.Id.ToString(), kind.ToString());
        await db.SaveChangesAsync();
        return (DraftError.None, draft);
    }

    /// <summary>
    /// An extension of a granted (or expired) global derogation the viewer can see: a new global draft for the same
    /// manufacturer, prefilled from the earlier answers and linked to it. The documents about the device itself still
    /// apply and are carried over (<see cref="CarriedOver"/>: copied, marked for the applicant and the reviewer, removable);
    /// the period, the other documents and the declarations are left to fill again; the earlier decision is listed among
    /// the derogations already granted.
    /// </summary>
    public async Task<(DraftError Error, Application? Draft)> CreateExtensionAsync(string earlierReference, Viewer viewer)
    {
        var earlier = await db.Applications.AsNoTracking().VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Reference == earlierReference.Trim().ToUpperInvariant() && a.Kind == ApplicationKind.Global
                                       && (a.Status == ApplicationStatus.Granted || a.Status == ApplicationStatus.Expired));
        if (earlier is null)
        {
            return (DraftError.NothingToExtend, null);
        }

        var (error, draft) = await CreateAsync(ApplicationKind.Global, viewer, earlier.ManufacturerId);
        if (error != DraftError.None)
        {
            return (error, null);
        }

        var answers = AnswersJson.Copy(earlier.Answers);
        answers.Parties.FiledAs = draft!.Answers.Parties.FiledAs;
        await using var transaction = await db.Database.BeginTransactionAsync();
        answers.Documents = await CarryOverAsync(earlier, draft);

        answers.Declarations = new DeclarationsAnswers();
        answers.GlobalScope.ValidFrom = null;
        answers.GlobalScope.ValidUntil = null;
        answers.EarlierDerogations.HasEarlierDerogations = true;
        if (answers.EarlierDerogations.Derogations.All(d => !string.Equals(d.DecisionReference, earlier.Reference, StringComparison.OrdinalIgnoreCase)))
        {
            answers.EarlierDerogations.Derogations.Insert(0, new EarlierDerogation { DecisionReference = earlier.Reference });
        }

        draft.Answers = answers;
        draft.ExtendsApplicationId = earlier.Id;
        await SaveAsync(draft);
        await transaction.CommitAsync();
        return (DraftError.None, draft);
    }

    /// <summary>
    /// "Copier cette demande": a new individual draft from an application the viewer's organisation filed — the same
    /// manufacturer (its mandate checked again), device, CE-marking situation and safety data; nothing about the patient
    /// or the professionals; the documents about the device carried over, each to be confirmed by the applicant.
    /// </summary>
    public async Task<(DraftError Error, Application? Draft)> CreateCopyAsync(string reference, Viewer viewer)
    {
        var source = await db.Applications.AsNoTracking()
            .SingleOrDefaultAsync(a => a.Reference == reference.Trim().ToUpperInvariant() && a.Kind == ApplicationKind.Individual && a.FilingOrganisationId == viewer.OrganisationId);
        if (source is null)
        {
            return (DraftError.NothingToCopy, null);
        }

        var (error, draft) = await CreateAsync(ApplicationKind.Individual, viewer, source.ManufacturerId);
        if (error != DraftError.None)
        {
            return (error, null);
        }

        var copied = AnswersJson.Copy(source.Answers);
        var answers = new ApplicationAnswers
        {
            Parties = copied.Parties, Device = copied.Device, NonCompliance = copied.NonCompliance, Safety = copied.Safety,
        };
        answers.Parties.FiledAs = draft!.Answers.Parties.FiledAs;
        await using var transaction = await db.Database.BeginTransactionAsync();
        answers.Documents = await CarryOverAsync(source, draft);
        draft.Answers = answers;
        await SaveAsync(draft);
        await transaction.CommitAsync();
        return (DraftError.None, draft);
    }

    /// <summary>The documents of <paramref name="source"/> that still apply, copied into <paramref name="draft"/> inside the database, unconfirmed.</summary>
    private async Task<List<DocumentReference>> CarryOverAsync(Application source, Application draft)
    {
        var documents = new List<DocumentReference>();
        foreach (var document in source.Answers.Documents.Where(d => CarriedOver.Contains(d.Type) && !d.AttachedByPortal))
        {
            // The bytes are copied chunk by chunk by the database itself: the draft owns its own copy.
            var copy = Guid.NewGuid();
            await db.Database.ExecuteSqlAsync(
                $"INSERT INTO document_chunks (document_id, chunk_index, application_id, bytes) SELECT {copy}, chunk_index, {draft.Id}, bytes FROM document_chunks WHERE document_id = {document.Id} AND application_id = {source.Id}");
            documents.Add(new DocumentReference
            {
                Id = copy, Type = document.Type, FileName = document.FileName, ContentType = document.ContentType, SizeBytes = document.SizeBytes,
                Sha256 = document.Sha256, UploadedAt = document.UploadedAt, PageCount = document.PageCount, CarriedOverFrom = source.Reference,
            });
        }

        return documents;
    }

    /// <summary>The applicant confirms that a carried-over document still applies to this draft.</summary>
    public async Task<bool> ConfirmCarriedOverAsync(Application draft, Guid documentId)
    {
        var document = draft.Answers.Documents.SingleOrDefault(d => d.Id == documentId && d.CarriedOverFrom is not null);
        if (document is null)
        {
            return false;
        }

        document.CarriedOverConfirmed = true;
        await SaveAsync(draft);
        return true;
    }

    /// <summary>What an extension or a copy carries over: the documents about the device, unchanged by a new period or patient.</summary>
    public static readonly IReadOnlySet<Documents.DocumentType> CarriedOver =
        new HashSet<Documents.DocumentType> { Documents.DocumentType.DeviceDescription, Documents.DocumentType.GsprDeclaration, Documents.DocumentType.SafetyPerformanceSummary };

    /// <summary>The draft, when it is one and belongs to the viewer's organisation; otherwise null (shown as 404).</summary>
    public Task<Application?> FindEditableAsync(Guid id, Viewer viewer) =>
        db.Applications.Include(a => a.Manufacturer).Include(a => a.Extends).VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Id == id && a.Status == ApplicationStatus.Draft && a.FilingOrganisationId == viewer.OrganisationId);

    /// <summary>
    /// A step the viewer's organisation may change now: any step of its draft, or, while ANSM waits for an answer,
    /// the sections the open request names — and the documents step, where the answer's documents are added.
    /// Null otherwise (shown as 404). The open request is returned with it (null for a draft).
    /// </summary>
    public async Task<(Application? Application, Review.InformationRequest? OpenRequest)> FindAmendableAsync(Guid id, Viewer viewer, string slug)
    {
        // The filing organisation comes with the draft: saving a step establishes the filer from its kind (no second query).
        // Not the derogation an extension extends: no step shows it, and it would bring that application's answers along.
        var application = await db.Applications.Include(a => a.Manufacturer).Include(a => a.FilingOrganisation).VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Id == id && a.FilingOrganisationId == viewer.OrganisationId
                                       && (a.Status == ApplicationStatus.Draft || a.Status == ApplicationStatus.InformationRequested));
        if (application is null || application.Status == ApplicationStatus.Draft)
        {
            if (application is not null)
            {
                remembered.Remember(application);
            }

            return (application, null);
        }

        var request = await db.InformationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.ApplicationId == id && r.AnsweredAt == null && r.CancelledAt == null);
        return request is not null && (slug == AnswerDocumentsStep || Review.InformationRequests.MayAmend(application, request, slug))
            ? (application, request)
            : (null, null);
    }

    /// <summary>The step where documents are added, open during every information request.</summary>
    public const string AnswerDocumentsStep = "documents";

    /// <summary>
    /// Who files, established by the server (docs/journeys/individual-application.md), never read from a form: a
    /// consultancy (an importer, a distributor) files as such, under a mandate from the manufacturer that must still
    /// be in force; a manufacturer files as itself or as its authorised representative, never as a consultant. Called
    /// at every save and again at submission: a mandate revoked or expired since the draft was created stops it (the
    /// draft is kept).
    /// </summary>
    public async Task<DraftError> EstablishFilerAsync(Application draft)
    {
        // Read with the draft when it was loaded with its filing organisation (a wizard step), else here.
        var kind = draft.FilingOrganisation is { } filer && filer.Id == draft.FilingOrganisationId
            ? filer.Kind
            : await db.Organisations.Where(o => o.Id == draft.FilingOrganisationId).Select(o => o.Kind).SingleAsync();
        if (FiledAsFor(kind, draft.Answers.Parties.FiledAs) is not { } filedAs)
        {
            return DraftError.NotAFiler;
        }

        draft.Answers.Parties.FiledAs = filedAs;
        if (kind.FilesUnderMandate())
        {
            var inForce = await mandates.ManufacturersInForceAsync(draft.FilingOrganisationId);
            return inForce.Any(m => m.Id == draft.ManufacturerId) ? DraftError.None : DraftError.NoMandateInForce;
        }

        return draft.ManufacturerId == draft.FilingOrganisationId ? DraftError.None : DraftError.NotAFiler;
    }

    /// <summary>
    /// The capacity an organisation of this kind files in: a consultancy (importer, distributor) as such; a manufacturer
    /// as itself or as its authorised representative, as it chose; null for an organisation that does not file.
    /// </summary>
    private static FiledAs? FiledAsFor(OrganisationKind kind, FiledAs? chosen) => kind switch
    {
        _ when kind.FilesUnderMandate() => kind.FiledAsUnderMandate(),
        OrganisationKind.Manufacturer => chosen is FiledAs.AuthorisedRepresentative ? chosen : FiledAs.Manufacturer,
        _ => null,
    };

    /// <summary>
    /// Saves the draft, after establishing who files (<see cref="EstablishFilerAsync"/>): nothing is saved when the
    /// filer may no longer file it. Throws <see cref="DbUpdateConcurrencyException"/> when someone saved it in between
    /// (another tab, a colleague): the caller keeps what the user typed and says so.
    /// </summary>
    public async Task<DraftError> SaveAsync(Application draft, uint? rowVersionSeenByUser = null)
    {
        var standing = await EstablishFilerAsync(draft);
        if (standing != DraftError.None)
        {
            return standing;
        }

        if (rowVersionSeenByUser is not null)
        {
            // The version the user's form was built from, not the one just read: a save made in between wins.
            db.Entry(draft).Property(a => a.RowVersion).OriginalValue = rowVersionSeenByUser.Value;
        }

        draft.UpdatedAt = clock.GetUtcNow();
        draft.DeviceName = DeviceNameOf(draft.Answers);
        await db.SaveChangesAsync();
        remembered.Remember(draft);
        return DraftError.None;
    }

    private static string? DeviceNameOf(ApplicationAnswers answers) =>
        string.IsNullOrWhiteSpace(answers.Device.TradeName) ? null : answers.Device.TradeName.Trim();

    /// <summary>
    /// The draft as this instance last read or wrote it (<see cref="RememberedDrafts"/>), untracked: a wizard step is
    /// validated against it and saved by <see cref="SaveRecalledAsync"/>. Null when this instance does not remember it
    /// for this viewer: then <see cref="FindAmendableAsync"/>.
    /// </summary>
    public Application? Recall(Guid id, Viewer viewer) => remembered.Recall(id, viewer);

    /// <summary>
    /// Saves a recalled draft in one statement. The statement writes only when everything the full path
    /// (<see cref="FindAmendableAsync"/>, then <see cref="SaveAsync"/>) would check still holds, read by the database at
    /// that instant: the row is still at the version recalled (so the answers the step was validated against are the
    /// stored ones, and nobody saved in between), still a draft, still filed by the viewer's organisation, which is
    /// still of the viewer's kind, files for this manufacturer as itself or under a mandate in force today.
    /// When it does not write, the same statement brings the row as stored: if only its version had moved on (another
    /// instance saved it), this instance remembers it as it is now and the caller may validate and save the step
    /// again against it — two round trips, as many as the full path. <see cref="RecalledSave.NotSaved"/> when anything
    /// else differs: the caller then takes the full path, which says what (404, the mandate, the concurrent save).
    /// </summary>
    public async Task<RecalledSave> SaveRecalledAsync(Application draft, Viewer viewer, uint? rowVersionSeenByUser)
    {
        if (draft.FilingOrganisationId != viewer.OrganisationId || (rowVersionSeenByUser is { } seen && seen != draft.RowVersion)
            || FiledAsFor(viewer.OrganisationKind, draft.Answers.Parties.FiledAs) is not { } filedAs)
        {
            return RecalledSave.NotSaved;
        }

        draft.Answers.Parties.FiledAs = filedAs;
        draft.UpdatedAt = clock.GetUtcNow();
        draft.DeviceName = DeviceNameOf(draft.Answers);
        var answers = System.Text.Json.JsonSerializer.Serialize(draft.Answers, AnswersJson.Options);
        var (kind, underMandate, today) = (viewer.OrganisationKind.ToString(), viewer.OrganisationKind.FilesUnderMandate(), mandates.Today);
        var recalled = draft.RowVersion.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // xmin is compared and returned as text: the column is an xid, which Npgsql has no parameter type for.
        // The mandate condition is MandateService.ManufacturersInForceAsync's, and the visibility ApplicationAccess's.
        // The second SELECT reads the statement's snapshot: the row as it was before this UPDATE, when it wrote nothing.
        var rows = await db.Database.SqlQuery<SaveRow>($"""
            WITH saved AS (
                UPDATE applications AS a SET answers = {answers}::jsonb, updated_at = {draft.UpdatedAt}, device_name = {draft.DeviceName}
                WHERE a.id = {draft.Id} AND a.xmin = {recalled}::xid
                  AND a.status = 'Draft' AND a.filing_organisation_id = {viewer.OrganisationId}
                  AND EXISTS (SELECT 1 FROM organisations o WHERE o.id = a.filing_organisation_id AND o.kind = {kind})
                  AND (({kind} = 'Manufacturer' AND a.manufacturer_id = a.filing_organisation_id)
                       OR ({underMandate} AND EXISTS (SELECT 1 FROM mandates m WHERE m.consultancy_id = a.filing_organisation_id
                                                       AND m.manufacturer_id = a.manufacturer_id AND m.status = 'Active'
                                                       AND m.valid_from <= {today} AND (m.valid_until IS NULL OR {today} <= m.valid_until))))
                RETURNING a.xmin::text AS row_version)
            SELECT TRUE AS saved, s.row_version, NULL::text AS kind, NULL::text AS status, NULL::uuid AS filing_organisation_id,
                   NULL::uuid AS manufacturer_id, NULL::text AS answers
            FROM saved s
            UNION ALL
            SELECT FALSE, c.xmin::text, c.kind::text, c.status::text, c.filing_organisation_id, c.manufacturer_id, c.answers::text
            FROM applications c WHERE c.id = {draft.Id} AND NOT EXISTS (SELECT 1 FROM saved)
            """).ToListAsync();
        var row = rows.SingleOrDefault();
        if (row is { Saved: true })
        {
            draft.RowVersion = uint.Parse(row.RowVersion, System.Globalization.CultureInfo.InvariantCulture);
            remembered.Remember(draft, answers);
            return RecalledSave.Saved;
        }

        if (row is null || row.RowVersion == recalled)
        {
            // Not a newer version: something the statement checks no longer holds.
            remembered.Forget(draft.Id);
            return RecalledSave.NotSaved;
        }

        // Remembered as the stored text: each recall makes its own answers from it.
        remembered.Remember(new Application
        {
            Id = draft.Id, Kind = Enum.Parse<ApplicationKind>(row.Kind!), Status = Enum.Parse<ApplicationStatus>(row.Status!),
            FilingOrganisationId = row.FilingOrganisationId!.Value, ManufacturerId = row.ManufacturerId,
            RowVersion = uint.Parse(row.RowVersion, System.Globalization.CultureInfo.InvariantCulture),
        }, row.Answers!);
        return RecalledSave.Newer;
    }

    private sealed record SaveRow(bool Saved, string RowVersion, string? Kind, string? Status, Guid? FilingOrganisationId, Guid? ManufacturerId, string? Answers);

    /// <summary>
    /// Drafts someone began for this manufacturer under a mandate that is no longer in force: stopped for their filer,
    /// they are the manufacturer's to take over (<see cref="TakeOverAsync"/>) — never shown to it while the mandate holds.
    /// </summary>
    public Task<List<Application>> StrandedForAsync(Viewer viewer) =>
        viewer.OrganisationKind != OrganisationKind.Manufacturer
            ? Task.FromResult(new List<Application>())
            : Stranded(viewer).AsNoTracking().Include(a => a.FilingOrganisation).OrderByDescending(a => a.UpdatedAt).ToListAsync();

    private IQueryable<Application> Stranded(Viewer viewer)
    {
        var today = mandates.Today;
        return db.Applications.Where(a => a.Status == ApplicationStatus.Draft && a.ManufacturerId == viewer.OrganisationId
            && a.FilingOrganisationId != viewer.OrganisationId
            && !db.Mandates.Any(m => m.ConsultancyId == a.FilingOrganisationId && m.ManufacturerId == viewer.OrganisationId
                                     && m.Status == MandateStatus.Active && m.ValidFrom <= today && (m.ValidUntil == null || today <= m.ValidUntil)));
    }

    /// <summary>
    /// The manufacturer takes over a stranded draft: it becomes the manufacturer's own, filed as itself, with what was
    /// typed and uploaded; the former filer loses it and is told. False when the draft is not stranded for this viewer.
    /// </summary>
    public async Task<bool> TakeOverAsync(Guid id, Viewer viewer)
    {
        if (viewer.OrganisationKind != OrganisationKind.Manufacturer)
        {
            return false;
        }

        var draft = await Stranded(viewer).SingleOrDefaultAsync(a => a.Id == id);
        if (draft is null)
        {
            return false;
        }

        remembered.Forget(draft.Id);
        var formerFiler = draft.FilingOrganisationId;
        draft.FilingOrganisationId = viewer.OrganisationId;
        draft.Answers.Parties.FiledAs = FiledAs.Manufacturer;
        draft.UpdatedAt = clock.GetUtcNow();
        db.Record(clock, AuditActions.DraftTakenOver, viewer.UserId, nameof(Application), draft.Id.ToString(), $"from={formerFiler}");
        var device = draft.DeviceName ?? "—";
        foreach (var email in await db.EmailsAsync(formerFiler))
        {
            db.Enqueue(clock, email, "Brouillon repris par le fabricant / Draft taken over by the manufacturer",
                $"Bonjour,\n\nVotre mandat n'étant plus en vigueur, le fabricant a repris le brouillon de demande de dérogation « {device} » que vous aviez commencé. " +
                $"Il ne figure plus parmi vos demandes.\n\n{links.Applications()}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nAs your mandate is no longer in force, the manufacturer has taken over the draft application \"{device}\" you had started. " +
                "It is no longer among your applications.\n\nANSM — CE-marking derogation portal",
                AuditActions.DraftTakenOver, draft.Id);
        }

        await db.SaveChangesAsync();
        outbox.Wake();
        return true;
    }

    public async Task<bool> DeleteAsync(Guid id, Viewer viewer)
    {
        var draft = await FindEditableAsync(id, viewer);
        if (draft is null)
        {
            return false;
        }

        remembered.Forget(draft.Id);
        db.Applications.Remove(draft);
        db.Record(clock, AuditActions.DraftDeleted, viewer.UserId, nameof(Application), id.ToString());
        await db.SaveChangesAsync();
        return true;
    }
}

/// <summary>What <see cref="ApplicationDrafts.SaveRecalledAsync"/> did.</summary>
public enum RecalledSave
{
    /// <summary>Nothing written: the caller takes the full path.</summary>
    NotSaved,

    /// <summary>The step is saved.</summary>
    Saved,

    /// <summary>Nothing written because another instance had saved the draft since; the draft as it is now is remembered.</summary>
    Newer,
}
