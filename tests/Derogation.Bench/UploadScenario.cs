using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Derogation.Bench;

/// <summary>
/// Uploading a 100 MB document through the documents step (multipart, content check, antivirus, PDF checks, SHA-256,
/// chunked storage in PostgreSQL), read from a file as a browser sends it. The floor is the real upper bound of that
/// path: a bare endpoint the bench starts that streams the same multipart body into the same table (document_chunks,
/// 1 MB chunks, SHA-256 of the whole, one transaction). The antivirus and the content checks, which the floor does not
/// do, are reported apart from the portal's <c>Server-Timing</c> header; the target compares the rest (receiving,
/// hashing, storing) with the floor. The memory figure is the growth of the portal's peak resident set over its
/// resident set just before the upload.
/// </summary>
public static class UploadScenario
{
    public static async Task<Row> RunAsync(PortalProcess portal, BenchDatabase database, int megabytes)
    {
        var file = Path.Combine(Path.GetTempPath(), $"derogation-bench-{Guid.NewGuid():N}.pdf");
        try
        {
            // A real, well-formed PDF (the portal now parses every PDF strictly and scans it), just under 100 MB.
            var size = (megabytes * 1024L * 1024L) - 64;
            await using (var stream = File.Create(file))
            {
                await new Derogation.Tests.Infrastructure.GeneratedPdf(size).CopyToAsync(stream);
            }

            using var client = await PortalClient.SignedInAsync(portal.Address, Drafts.Email, Drafts.Password);
            var (draft, token) = await Drafts.CreateAsync(client);
            await Drafts.FillUpToDocumentsAsync(client, draft, token);
            // Warm-up: a first, smaller upload through the same path (the JIT's first pass over the checks, clamd's
            // first stream), as a portal that has been running would be.
            var warmUp = file + ".warm";
            await using (var stream = File.Create(warmUp))
            {
                await new Derogation.Tests.Infrastructure.GeneratedPdf(8L * 1024 * 1024).CopyToAsync(stream);
            }

            await PostAsync(client, draft, warmUp, "DeviceDescription");
            File.Delete(warmUp);

            // Settle, then measure the growth of the peak over what the portal holds now.
            GC.Collect();
            await Task.Delay(500);
            portal.ResetPeakMemory();
            var before = portal.MemoryMegabytes().Current;
            var stopwatch = Stopwatch.StartNew();
            var timing = await PostAsync(client, draft, file, "SafetyPerformanceSummary");
            var uploadSeconds = stopwatch.Elapsed.TotalSeconds;
            var growth = portal.MemoryMegabytes().Peak - before;
            var antivirus = timing.GetValueOrDefault("antivirus") / 1000;
            var checks = timing.GetValueOrDefault("checks") / 1000;
            var store = timing.GetValueOrDefault("store") / 1000;

            var floorSeconds = await FloorAsync(database.ConnectionString, draft, file);

            var mb = size / 1024.0 / 1024.0;
            // The portal's own path, as the floor does it: the request received, hashed and stored (what is left once the
            // antivirus and the content checks, which the floor does not do, are taken out).
            var ownSeconds = uploadSeconds - antivirus - checks;
            var share = floorSeconds / ownSeconds;
            Console.WriteLine($"Upload of {mb:0} MB: {uploadSeconds:0.00} s end to end ({mb / uploadSeconds:0} MB/s); antivirus {antivirus:0.00} s, "
                              + $"PDF checks {checks:0.00} s, storing {store:0.00} s; the rest (receiving, buffering) {ownSeconds - store:0.00} s; floor {floorSeconds:0.00} s.");
            return new Row($"upload of a {megabytes} MB document", "MB/s without antivirus and PDF checks · end to end · antivirus s · PDF checks s · peak memory growth",
                $"{Row.Format(mb / ownSeconds)} MB/s ({share:P0} of floor) · {Row.Format(mb / uploadSeconds)} MB/s · {antivirus:0.00} s · {checks:0.00} s · {Row.Format(growth)} MB",
                $"bare endpoint streaming to document_chunks: {Row.Format(mb / floorSeconds)} MB/s",
                "≥ 60 % of the floor; memory growth ≤ 64 MB", share >= 0.60 && growth <= 64) { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) };
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// The floor: a bare endpoint in the bench's process that reads the same multipart body as it streams in, hashes it
    /// (SHA-256) and inserts it 1 MB at a time into document_chunks for the same draft, in one transaction — no
    /// authentication, no antiforgery, no buffering to disk, no checks. Its rows are deleted afterwards.
    /// </summary>
    private static async Task<double> FloorAsync(string connectionString, Guid draft, string file)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = null);
        builder.Logging.ClearProviders();
        await using var data = NpgsqlDataSource.Create(connectionString);
        await using var app = builder.Build();
        var documentId = Guid.NewGuid();
        app.MapPost("/upload/{applicationId:guid}", async (Guid applicationId, HttpRequest request) =>
        {
            var boundary = Microsoft.Net.Http.Headers.HeaderUtilities.RemoveQuotes(Microsoft.Net.Http.Headers.MediaTypeHeaderValue.Parse(request.ContentType).Boundary).Value!;
            var reader = new MultipartReader(boundary, request.Body);
            await using var connection = await data.OpenConnectionAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await using var insert = new NpgsqlCommand(
                "INSERT INTO document_chunks (document_id, chunk_index, application_id, bytes) VALUES (@document, @index, @application, @bytes)", connection, transaction);
            var index = insert.Parameters.Add("index", NpgsqlDbType.Integer);
            var bytes = insert.Parameters.Add("bytes", NpgsqlDbType.Bytea);
            insert.Parameters.AddWithValue("document", documentId);
            insert.Parameters.AddWithValue("application", applicationId);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            var buffer = new byte[1024 * 1024];
            while (await reader.ReadNextSectionAsync() is { } section)
            {
                if (!section.ContentDisposition!.Contains("filename", StringComparison.Ordinal))
                {
                    continue;
                }

                for (var chunk = 0; ; chunk++)
                {
                    var read = await section.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false);
                    if (read == 0)
                    {
                        break;
                    }

                    hash.AppendData(buffer, 0, read);
                    index.Value = chunk;
                    bytes.Value = new ArraySegment<byte>(buffer, 0, read);
                    await insert.ExecuteNonQueryAsync();
                }
            }

            await transaction.CommitAsync();
            _ = hash.GetHashAndReset();
            return Results.Redirect($"/demandes/{applicationId}/documents");
        });
        await app.StartAsync();
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(app.Urls.First()), Timeout = TimeSpan.FromMinutes(5) };
            var stopwatch = Stopwatch.StartNew();
            var response = await client.PostAsync($"/upload/{draft}", Form(file, "x", "SafetyPerformanceSummary", out var content));
            var seconds = stopwatch.Elapsed.TotalSeconds;
            await content.DisposeAsync();
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"The floor endpoint failed ({(int)response.StatusCode}).");
            }

            return seconds;
        }
        finally
        {
            await app.StopAsync();
            await using var delete = data.CreateCommand("DELETE FROM document_chunks WHERE document_id = @id");
            delete.Parameters.AddWithValue("id", documentId);
            await delete.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The documents step's form as a browser sends it, the file streamed from disk.</summary>
    private static MultipartFormDataContent Form(string file, string uploadToken, string type, out Stream content)
    {
        content = File.OpenRead(file);
        var form = new MultipartFormDataContent
        {
            { new StringContent(uploadToken), "__RequestVerificationToken" },
            { new StringContent(type), "DocumentType" },
        };
        var fileContent = new StreamContent(content, 1024 * 1024);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(fileContent, "Upload", "donnees-performances.pdf");
        return form;
    }

    /// <summary>Posts a file to the documents step as the browser's form does, streamed from disk; returns the portal's Server-Timing (ms by phase).</summary>
    private static async Task<Dictionary<string, double>> PostAsync(HttpClient client, Guid draft, string file, string type)
    {
        var uploadToken = PortalClient.Token(await client.GetStringAsync($"/demandes/{draft}/documents"));
        using var form = Form(file, uploadToken, type, out var content);
        await using var _ = content;
        var response = await client.PostAsync($"/demandes/{draft}/documents?handler=Upload", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The upload was refused ({(int)response.StatusCode}).");
        }

        // "antivirus;dur=3901.2, checks;dur=512.0, store;dur=700.1"
        return response.Headers.TryGetValues("Server-Timing", out var values)
            ? string.Join(',', values).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(metric => metric.Split(";dur="))
                .ToDictionary(parts => parts[0], parts => double.Parse(parts[1], CultureInfo.InvariantCulture))
            : throw new InvalidOperationException("The portal's upload answer carries no Server-Timing header.");
    }
}
