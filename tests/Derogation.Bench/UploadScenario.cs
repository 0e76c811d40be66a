using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Derogation.Bench;

/// <summary>
/// Uploading a 100 MB document through the documents step (multipart, content check, SHA-256, chunked storage in
/// PostgreSQL), read from a file as a browser sends it; the floor: copying the same file on disk. The memory
/// figure is the growth of the portal's peak resident set over its resident set just before the upload.
/// </summary>
public static class UploadScenario
{
    public static async Task<Row> RunAsync(PortalProcess portal, int megabytes)
    {
        var file = Path.Combine(Path.GetTempPath(), $"derogation-bench-{Guid.NewGuid():N}.pdf");
        var copy = file + ".copy";
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
            await PostAsync(client, draft, file, "SafetyPerformanceSummary");
            var uploadSeconds = stopwatch.Elapsed.TotalSeconds;
            var growth = portal.MemoryMegabytes().Peak - before;

            stopwatch.Restart();
            File.Copy(file, copy, overwrite: true);
            await using (var flush = new FileStream(copy, FileMode.Open)) { flush.Flush(flushToDisk: true); }
            var copySeconds = stopwatch.Elapsed.TotalSeconds;

            var mb = size / 1024.0 / 1024.0;
            return new Row($"upload of a {megabytes} MB document", "MB/s · peak memory growth",
                $"{Row.Format(mb / uploadSeconds)} MB/s · {Row.Format(growth)} MB", $"disk copy: {Row.Format(mb / copySeconds)} MB/s",
                "memory growth ≤ 64 MB", growth <= 64) { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) };
        }
        finally
        {
            File.Delete(file);
            File.Delete(copy);
        }
    }

    /// <summary>Posts a file to the documents step as the browser's form does, streamed from disk.</summary>
    private static async Task PostAsync(HttpClient client, Guid draft, string file, string type)
    {
        var uploadToken = PortalClient.Token(await client.GetStringAsync($"/demandes/{draft}/documents"));
        await using var content = File.OpenRead(file);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(uploadToken), "__RequestVerificationToken" },
            { new StringContent(type), "DocumentType" },
        };
        var fileContent = new StreamContent(content, 1024 * 1024);
        fileContent.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(fileContent, "Upload", "donnees-performances.pdf");
        var response = await client.PostAsync($"/demandes/{draft}/documents?handler=Upload", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"The upload was refused ({(int)response.StatusCode}).");
        }
    }
}
