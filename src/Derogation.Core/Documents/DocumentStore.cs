using System.Data;
using System.Security.Cryptography;
using Derogation.Core.Applications;
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
}

public sealed class DocumentOptions
{
    /// <summary>Largest file accepted, in bytes (default 100 MB).</summary>
    public long MaxFileBytes { get; set; } = 100L * 1024 * 1024;
}

/// <summary>
/// Stores uploaded documents in PostgreSQL (behind this one class, so object storage can replace it) and serves
/// them back as streams. Storing a document and referring to it from the draft happen in one transaction:
/// nothing is half-saved.
/// </summary>
public sealed class DocumentStore(DerogationDbContext db, DocumentOptions options, TimeProvider clock)
{
    public const int ChunkBytes = 1024 * 1024;

    /// <param name="content">A seekable stream (the upload buffered on disk by the web server).</param>
    public async Task<(UploadError Error, DocumentReference? Document)> AddAsync(
        Application draft, DocumentType type, string fileName, Stream content, bool anonymisedConfirmed, uint? rowVersionSeenByUser, CancellationToken cancellationToken = default)
    {
        var entry = DocumentCatalogue.For(draft.Kind).FirstOrDefault(e => e.Type == type);
        if (entry is null)
        {
            return (UploadError.NotForThisKindOfApplication, null);
        }

        if (Check(content) is var rejected && rejected != UploadError.None)
        {
            return (rejected, null);
        }

        if (entry.ConcernsPatient && !anonymisedConfirmed)
        {
            return (UploadError.AnonymisationNotConfirmed, null);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var (error, document) = await StoreAsync(draft.Id, type, fileName, content, cancellationToken);
        if (document is null)
        {
            return (error, null);
        }

        document.Anonymised = entry.ConcernsPatient && anonymisedConfirmed;
        draft.Answers.Documents.Add(document);
        if (rowVersionSeenByUser is not null)
        {
            db.Entry(draft).Property(a => a.RowVersion).OriginalValue = rowVersionSeenByUser.Value;
        }

        draft.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (UploadError.None, document);
    }

    /// <summary>
    /// Checks a file (not empty, not too large, an accepted format by its content) and writes it, inside the caller's
    /// transaction, as a document of the application that nothing refers to yet: the caller saves the reference.
    /// </summary>
    public async Task<(UploadError Error, DocumentReference? Document)> StoreAsync(
        Guid applicationId, DocumentType type, string fileName, Stream content, CancellationToken cancellationToken = default)
    {
        if (Check(content) is var rejected && rejected != UploadError.None)
        {
            return (rejected, null);
        }

        var format = FileSignature.Detect(content)!.Value;
        var transaction = db.Database.CurrentTransaction ?? throw new InvalidOperationException("StoreAsync runs inside the caller's transaction.");
        var documentId = Guid.NewGuid();
        var sha256 = await WriteChunksAsync(documentId, applicationId, content, (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
        return (UploadError.None, new DocumentReference
        {
            Id = documentId,
            Type = type,
            FileName = SafeFileName(fileName, format),
            ContentType = FileSignature.ContentTypes[format],
            SizeBytes = content.Length,
            Sha256 = sha256,
            UploadedAt = clock.GetUtcNow(),
        });
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

    /// <summary>Copies the stored bytes to <paramref name="destination"/>, one chunk at a time as they are read.</summary>
    public async Task CopyToAsync(Guid applicationId, Guid documentId, Stream destination, CancellationToken cancellationToken)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var select = new NpgsqlCommand(
                "SELECT bytes FROM document_chunks WHERE document_id = @id AND application_id = @application ORDER BY chunk_index", connection);
            select.Parameters.AddWithValue("id", documentId);
            select.Parameters.AddWithValue("application", applicationId);
            await using var reader = await select.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                await using var chunk = await reader.GetStreamAsync(0, cancellationToken);
                await chunk.CopyToAsync(destination, cancellationToken);
            }
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

    /// <summary>Letters, digits and a few separators; never a path; the extension of the format actually found.</summary>
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
