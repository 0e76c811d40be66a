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

        if (content.Length == 0)
        {
            return (UploadError.Empty, null);
        }

        if (content.Length > options.MaxFileBytes)
        {
            return (UploadError.TooLarge, null);
        }

        if (FileSignature.Detect(content) is not { } format)
        {
            return (UploadError.NotAnAcceptedFormat, null);
        }

        if (entry.ConcernsPatient && !anonymisedConfirmed)
        {
            return (UploadError.AnonymisationNotConfirmed, null);
        }

        var documentId = Guid.NewGuid();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var sha256 = await WriteChunksAsync(documentId, draft.Id, content, (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
        var document = new DocumentReference
        {
            Id = documentId,
            Type = type,
            FileName = SafeFileName(fileName, format),
            ContentType = FileSignature.ContentTypes[format],
            SizeBytes = content.Length,
            Sha256 = sha256,
            Anonymised = entry.ConcernsPatient && anonymisedConfirmed,
            UploadedAt = clock.GetUtcNow(),
        };

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
        await db.Database.ExecuteSqlAsync($"DELETE FROM document_chunks WHERE document_id = {documentId} AND application_id = {draft.Id}");
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
