using System.Net;
using System.Security.Cryptography;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Platform;

/// <summary>
/// The portal keeps few database connections (docs/adr/0009). A document is sent one chunk per statement, the
/// connection given back between two, so people downloading slowly never leave the others without one.
/// </summary>
public sealed class SlowDownloadTests : IAsyncLifetime
{
    private const long FileSize = 32L * 1024 * 1024;
    private readonly SmallPoolPortal _portal = new();
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        await _portal.InitializeAsync();
        _address = _portal.StartRealServer();
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task DownloadsAClientReadsSlowly_HoldNoConnection_SoThePortalStillAnswers_AndEachFileArrivesWhole()
    {
        var (client, id) = await WizardDocuments.DraftOnRealServerAsync(_portal, _address);
        using var _ = client;

        var file = new StreamContent(new GeneratedPdf(FileSize));
        file.Headers.ContentLength = FileSize;
        Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "notice-complete.pdf", file)).StatusCode);
        var documents = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        var link = documents.QuerySelector("#Input_DocumentDeviceDescription a.fr-link")!.GetAttribute("href")!;

        // As many downloads as the pool has connections, each read a little and then left waiting: the server is
        // stopped mid-file by the full socket buffers, as with a slow line.
        var downloads = new List<(HttpResponseMessage Response, Stream Body, byte[] Start)>();
        for (var i = 0; i < SmallPoolPortal.Connections; i++)
        {
            var response = await client.GetAsync(link, HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.Content.ReadAsStreamAsync();
            var start = new byte[64 * 1024];
            await body.ReadExactlyAsync(start);
            downloads.Add((response, body, start));
        }

        // Another page needing the database: it would wait for a connection the downloads hold, and fail.
        var page = await client.GetAsync($"/demandes/{id}/documents");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("notice-complete.pdf", await page.Content.ReadAsStringAsync());

        // The waiting downloads then go on to the end: the chunks read one by one make the stored file, byte for byte.
        var expected = await SHA256.HashDataAsync(new GeneratedPdf(FileSize));
        foreach (var (response, body, start) in downloads)
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            hash.AppendData(start);
            var buffer = new byte[81_920];
            long length = start.Length;
            for (int read; (read = await body.ReadAsync(buffer)) > 0; length += read)
            {
                hash.AppendData(buffer, 0, read);
            }

            Assert.Equal(FileSize, length);
            Assert.Equal(expected, hash.GetHashAndReset());
            await body.DisposeAsync();
            response.Dispose();
        }
    }

    private sealed class SmallPoolPortal : PortalFactory
    {
        public const int Connections = 2;

        // Two connections, and three seconds to wait for one (Npgsql's Timeout), so a held connection shows as a failure.
        protected override string PortalConnectionString => $"{ConnectionString};Maximum Pool Size={Connections};Timeout=3";
    }
}
