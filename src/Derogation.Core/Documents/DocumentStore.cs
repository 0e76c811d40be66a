using System.Buffers;
using System.Data;
using System.Security.Cryptography;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Derogation.Core.Documents;

public enum UploadError
{
    None,
    Empty,
    TooLarge,
    NotAnAcceptedFormat,
    NotForThisKindOfApplication,
    AnonymisationNotConfirmed,
    /// <summary>The antivirus found something (<see cref="UploadRefusal.Detail"/>: the signature's name).</summary>
    Infected,
    /// <summary>The antivirus could not be reached: nothing is accepted unscanned; try again later.</summary>
    ScannerUnavailable,
    PdfEncrypted,
    PdfActiveContent,
    PdfEmbeddedFiles,
    PdfMalformed,
    /// <summary>The document identifies the patient (<see cref="UploadRefusal.Problem"/>, what was found, on which page).</summary>
    PatientIdentified,
    /// <summary>The document carries precise dates: the applicant confirms none concerns the patient's identity, then uploads it again.</summary>
    DatesToAcknowledge,
    TooManyDocuments,
    ApplicationTooLarge,
}

/// <summary>Why a file was refused, with what the user needs to fix it.</summary>
public sealed record UploadRefusal(UploadError Error, string? Detail = null, int? Page = null, IReadOnlyList<string>? Dates = null, AnonymisationProblem? Problem = null);

/// <summary>A stored document, or why it was refused.</summary>
public sealed record UploadResult(UploadRefusal? Refusal, DocumentReference? Document)
{
    public UploadError Error => Refusal?.Error ?? UploadError.None;

    public static UploadResult Refused(UploadError error) => new(new UploadRefusal(error), null);
}

/// <summary>Whose upload an audit event records (an application, or an organisation for a mandate letter).</summary>
public sealed record UploadSubject(string Type, string Id, Guid? UploadedBy);

public sealed class DocumentOptions
{
    /// <summary>Largest file accepted, in bytes (default 100 MB).</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Most documents one application may hold (default 50).</summary>
    public int MaxDocumentsPerApplication { get; set; } = 50;

    /// <summary>Most bytes one application's documents may add up to (default 500 MB).</summary>
    public long MaxApplicationBytes { get; set; } = 500L * 1024 * 1024;
}

/// <summary>
/// Where the time of this request's uploads went, added up over its files: the antivirus, the content checks (a PDF
/// parsed, its text read against the anonymisation rules) and the writing to the store. The documents page reports
/// them in a <c>Server-Timing</c> header (a browser's developer tools and the benchmark read it).
/// </summary>
public sealed class UploadCosts
{
    public TimeSpan Antivirus { get; internal set; }

    public TimeSpan ContentChecks { get; internal set; }

    public TimeSpan Storage { get; internal set; }

    /// <summary>The header's value: milliseconds by phase (RFC: "name;dur=…").</summary>
    public string ServerTiming() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"antivirus;dur={Antivirus.TotalMilliseconds:0.0}, checks;dur={ContentChecks.TotalMilliseconds:0.0}, store;dur={Storage.TotalMilliseconds:0.0}");
}

/// <summary>What the checks learnt of an accepted file.</summary>
public sealed record Inspected(AcceptedFormat Format, int? PageCount, bool? CheckedAutomatically, IReadOnlyList<string> Dates);

/// <summary>
/// Stores uploaded documents in PostgreSQL (behind this one class, so object storage can replace it) and serves
/// them back as streams. Storing a document and referring to it from the draft happen in one transaction:
/// nothing is half-saved.
/// </summary>
public sealed class DocumentStore(DerogationDbContext db, DocumentOptions options, ClamdScanner scanner, TimeProvider clock)
{
    public const int ChunkBytes = 1024 * 1024;

    /// <summary>Where this request's uploads spent their time so far (<see cref="UploadCosts"/>).</summary>
    public UploadCosts Costs { get; } = new();

    /// <param name="content">A seekable stream (the upload buffered on disk by the web server).</param>
    /// <param name="datesAcknowledged">The applicant confirmed the dates found in a patient document (a prescription's date, say).</param>
    public async Task<UploadResult> AddAsync(
        Application draft, DocumentType type, string fileName, Stream content, bool anonymisedConfirmed, bool datesAcknowledged, Guid uploadedBy,
        uint? rowVersionSeenByUser, CancellationToken cancellationToken = default)
    {
        var entry = DocumentCatalogue.For(draft.Kind).FirstOrDefault(e => e.Type == type);
        if (entry is null)
        {
            return UploadResult.Refused(UploadError.NotForThisKindOfApplication);
        }

        if (draft.Answers.Documents.Count >= options.MaxDocumentsPerApplication)
        {
            return UploadResult.Refused(UploadError.TooManyDocuments);
        }

        if (draft.Answers.Documents.Sum(d => d.SizeBytes) + content.Length > options.MaxApplicationBytes)
        {
            return UploadResult.Refused(UploadError.ApplicationTooLarge);
        }

        var concernsPatient = DocumentCatalogue.ConcernsPatient(type, draft.Kind);
        if (concernsPatient && !anonymisedConfirmed)
        {
            return UploadResult.Refused(UploadError.AnonymisationNotConfirmed);
        }

        var patient = concernsPatient ? new PatientInitials(draft.Answers.Patient.LastNameInitial, draft.Answers.Patient.FirstNameInitial) : null;
        var (refusal, inspected) = await InspectAsync(fileName, content, new UploadSubject(nameof(Application), draft.Id.ToString(), uploadedBy), patient, cancellationToken);
        if (refusal is not null)
        {
            return new UploadResult(refusal, null);
        }

        if (inspected!.Dates.Count > 0 && !datesAcknowledged)
        {
            return new UploadResult(new UploadRefusal(UploadError.DatesToAcknowledge, Dates: inspected.Dates), null);
        }

        var storing = clock.GetTimestamp();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var document = await WriteAsync(draft.Id, type, fileName, content, inspected, cancellationToken);
        document.Anonymised = concernsPatient && anonymisedConfirmed;
        draft.Answers.Documents.Add(document);
        if (rowVersionSeenByUser is not null)
        {
            db.Entry(draft).Property(a => a.RowVersion).OriginalValue = rowVersionSeenByUser.Value;
        }

        draft.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Costs.Storage += clock.GetElapsedTime(storing);
        return new UploadResult(null, document);
    }

    /// <summary>
    /// Every check a file goes through before it is accepted, in this order: not empty, within the size limit, an
    /// accepted format by its content; scanned by the antivirus (refused when it is unreachable — fail closed —, and
    /// an infection recorded in the audit trail with the file's name and the signature, never the content); a PDF is
    /// one well-formed, passive, unencrypted PDF; and for a document concerning the patient (<paramref name="patient"/>),
    /// its text follows the anonymisation rules, page by page.
    /// </summary>
    public async Task<(UploadRefusal? Refusal, Inspected? Inspected)> InspectAsync(
        string fileName, Stream content, UploadSubject subject, PatientInitials? patient, CancellationToken cancellationToken = default)
    {
        if (Check(content) is var rejected && rejected != UploadError.None)
        {
            return (new UploadRefusal(rejected), null);
        }

        var format = FileSignature.Detect(content)!.Value;
        var scanning = clock.GetTimestamp();
        var scan = await scanner.ScanAsync(content, cancellationToken);
        Costs.Antivirus += clock.GetElapsedTime(scanning);
        switch (scan.Verdict)
        {
            case ScanVerdict.Unavailable:
                return (new UploadRefusal(UploadError.ScannerUnavailable), null);
            case ScanVerdict.Infected:
                db.Record(clock, AuditActions.UploadInfected, subject.UploadedBy, subject.Type, subject.Id, $"{SafeFileName(fileName, format)}: {scan.Signature}");
                await db.SaveChangesAsync(cancellationToken);
                return (new UploadRefusal(UploadError.Infected, scan.Signature), null);
        }

        var checking = clock.GetTimestamp();
        try
        {
            return CheckContent(content, format, patient);
        }
        finally
        {
            Costs.ContentChecks += clock.GetElapsedTime(checking);
        }
    }

    /// <summary>A PDF is well-formed, passive and unencrypted; a patient's document follows the anonymisation rules.</summary>
    private static (UploadRefusal? Refusal, Inspected? Inspected) CheckContent(Stream content, AcceptedFormat format, PatientInitials? patient)
    {
        int? pages = null;
        IReadOnlyList<string>? texts = null;
        if (format == AcceptedFormat.Pdf)
        {
            var report = PdfInspection.Inspect(content, extractText: patient is not null);
            var problem = report.Problem switch
            {
                PdfProblem.Encrypted => UploadError.PdfEncrypted,
                PdfProblem.ActiveContent => UploadError.PdfActiveContent,
                PdfProblem.EmbeddedFiles => UploadError.PdfEmbeddedFiles,
                PdfProblem.Malformed => UploadError.PdfMalformed,
                _ => UploadError.None,
            };
            if (problem != UploadError.None)
            {
                return (new UploadRefusal(problem), null);
            }

            pages = report.PageCount;
            texts = report.PageTexts;
        }
        else if (patient is not null && DocumentText.ReadOffice(content, format) is { } officeText)
        {
            texts = [officeText];
        }

        if (patient is null)
        {
            return (null, new Inspected(format, pages, null, []));
        }

        if (texts is null || texts.All(string.IsNullOrWhiteSpace))
        {
            // An image, or a scan without a text layer: nothing can be read, the applicant and the reviewer check it by eye.
            return (null, new Inspected(format, pages, false, []));
        }

        var findings = DocumentText.Check(texts, patient, paged: format == AcceptedFormat.Pdf);
        if (findings.FirstOrDefault(f => Anonymisation.Identifies(f.Problem)) is { } identifying)
        {
            return (new UploadRefusal(UploadError.PatientIdentified, identifying.Found, identifying.Page, Problem: identifying.Problem), null);
        }

        var dates = findings.Where(f => f.Problem == AnonymisationProblem.PreciseDate)
            .Select(f => f.Page is { } page ? $"{f.Found}, p. {page}" : f.Found).Distinct().ToList();
        return (null, new Inspected(format, pages, true, dates));
    }

    /// <summary>Writes a file already inspected (<see cref="InspectAsync"/>), inside the caller's transaction.</summary>
    internal async Task<DocumentReference> WriteAsync(Guid applicationId, DocumentType type, string fileName, Stream content, Inspected inspected, CancellationToken cancellationToken = default)
    {
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("Documents are written inside the caller's transaction.");
        var documentId = Guid.NewGuid();
        var sha256 = await WriteChunksAsync(documentId, applicationId, content, (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
        return new DocumentReference
        {
            Id = documentId,
            Type = type,
            FileName = SafeFileName(fileName, inspected.Format),
            ContentType = FileSignature.ContentTypes[inspected.Format],
            SizeBytes = content.Length,
            Sha256 = sha256,
            UploadedAt = clock.GetUtcNow(),
            PageCount = inspected.PageCount,
            CheckedAutomatically = inspected.CheckedAutomatically,
            DateWarnings = [.. inspected.Dates],
        };
    }

    /// <summary>Not empty, not over the size limit, and an accepted format recognised by its content.</summary>
    private UploadError Check(Stream content) =>
        content.Length == 0 ? UploadError.Empty
        : content.Length > options.MaxFileBytes ? UploadError.TooLarge
        : FileSignature.Detect(content) is null ? UploadError.NotAnAcceptedFormat
        : UploadError.None;

    public async Task<bool> RemoveAsync(Application draft, Guid documentId)
    {
        var document = draft.Answers.Documents.SingleOrDefault(d => d.Id == documentId);
        if (document is null)
        {
            return false;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        draft.Answers.Documents.Remove(document);
        draft.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync();
        if (draft.Status == ApplicationStatus.Draft)
        {
            // Once submitted, a document belongs to a frozen version: an amendment drops it from the next version only.
            await db.Database.ExecuteSqlAsync($"DELETE FROM document_chunks WHERE document_id = {documentId} AND application_id = {draft.Id}");
        }

        await transaction.CommitAsync();
        return true;
    }

    /// <summary>
    /// Copies the stored bytes to <paramref name="destination"/>, one chunk per statement: the connection goes back to
    /// the pool before a chunk is written to the client, so a client reading slowly never holds one of the pool's
    /// connections — there are few of them, sized for the database server (<see cref="DerogationDbContext.Tuned"/>).
    /// A document's chunks are written once and never changed, so reading them apart gives the same bytes.
    /// </summary>
    public async Task CopyToAsync(Guid applicationId, Guid documentId, Stream destination, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            for (var index = 0; ; index++)
            {
                var length = await ReadChunkAsync(applicationId, documentId, index, buffer, cancellationToken);
                if (length is null)
                {
                    return;
                }

                await destination.WriteAsync(buffer.AsMemory(0, length.Value), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Chunk <paramref name="index"/> read into <paramref name="buffer"/>: its length, or null past the last.</summary>
    private async Task<int?> ReadChunkAsync(Guid applicationId, Guid documentId, int index, byte[] buffer, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var select = new NpgsqlCommand(
                "SELECT bytes FROM document_chunks WHERE document_id = @id AND application_id = @application AND chunk_index = @index", connection);
            select.Parameters.AddWithValue("id", documentId);
            select.Parameters.AddWithValue("application", applicationId);
            select.Parameters.AddWithValue("index", index);
            await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess | CommandBehavior.SingleRow, cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            await using var chunk = await reader.GetStreamAsync(0, cancellationToken);
            var length = await chunk.ReadAtLeastAsync(buffer.AsMemory(0, ChunkBytes), ChunkBytes, throwOnEndOfStream: false, cancellationToken);
            // Every chunk is written ChunkBytes at most (WriteChunksAsync); a longer one is not a document this store wrote.
            return length < ChunkBytes || await chunk.ReadAsync(new byte[1], cancellationToken) == 0
                ? length
                : throw new InvalidDataException("A stored chunk is longer than ChunkBytes.");
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Reads the upload once: each chunk is hashed and inserted in turn, with one reused buffer.</summary>
    private async Task<string> WriteChunksAsync(Guid documentId, Guid applicationId, Stream content, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        content.Position = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[ChunkBytes];
        await using var insert = new NpgsqlCommand(
            "INSERT INTO document_chunks (document_id, chunk_index, application_id, bytes) VALUES (@document, @index, @application, @bytes)",
            transaction.Connection, transaction);
        var index = insert.Parameters.Add("index", NpgsqlDbType.Integer);
        var bytes = insert.Parameters.Add("bytes", NpgsqlDbType.Bytea);
        insert.Parameters.AddWithValue("document", documentId);
        insert.Parameters.AddWithValue("application", applicationId);
        for (var chunk = 0; ; chunk++)
        {
            var read = await content.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
            if (read == 0)
            {
                break;
            }

            hash.AppendData(buffer, 0, read);
            index.Value = chunk;
            bytes.Value = new ArraySegment<byte>(buffer, 0, read);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Letters, digits and a few separators; never a path; the extension of the format actually found. Control and
    /// bidirectional-override characters (U+202E turns "fdp.exe" into "exe.pdf" on screen) are neither letters nor
    /// digits: they become "_" like any other.
    /// </summary>
    public static string SafeFileName(string name, AcceptedFormat format)
    {
        var extension = format switch
        {
            AcceptedFormat.Jpeg => ".jpg",
            _ => "." + format.ToString().ToLowerInvariant(),
        };
        var stem = Path.GetFileNameWithoutExtension(Path.GetFileName(name.Replace('\\', '/')));
        var cleaned = new string(stem.Select(c => char.IsLetterOrDigit(c) || c is '-' or '_' ? c : '_').ToArray()).Trim('_');
        return (cleaned.Length == 0 ? "document" : cleaned[..Math.Min(cleaned.Length, 120)]) + extension;
    }
}
