using System.Diagnostics;
using System.Net;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Applications;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    /// <summary>Runs alone, so that no other test's allocations blur the reading.</summary>
    public const string Name = "Memory measurement";
}

/// <summary>A 100 MB PDF goes through the real server into PostgreSQL without the server holding it in memory.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public sealed class LargeUploadTests : IAsyncLifetime
{
    private const long FileSize = 100L * 1024 * 1024;
    private readonly PortalFactory _portal = new();
    private Uri _address = null!;

    public async Task InitializeAsync()
    {
        await _portal.InitializeAsync();
        _address = _portal.StartRealServer();
    }

    public async Task DisposeAsync() => await _portal.DisposeAsync();

    [Fact]
    public async Task Upload100MegabytePdf_Succeeds_AndMemoryDoesNotGrowByTheFilesSize()
    {
        var (client, id) = await WizardDocuments.DraftOnRealServerAsync(_portal, _address);
        using var _ = client;

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var baseline = process.WorkingSet64;
        var peak = baseline;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                await Task.Delay(10);
            }
        });

        var file = new StreamContent(new GeneratedPdf(FileSize));
        file.Headers.ContentLength = FileSize;
        var response = await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "notice-complete.pdf", file);
        await sampling.CancelAsync();
        await sampler;

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        Assert.Equal("(102400 Ko, 1 p.)", page.Text("#Input_DocumentDeviceDescription .fr-text--xs"));
        var growth = peak - baseline;
        // The client here streams a generated file; what grows is the server's working memory.
        Assert.True(growth < FileSize / 2, $"Peak working set grew by {growth / 1024 / 1024} MB for a {FileSize / 1024 / 1024} MB upload.");
        File.WriteAllText(Path.Combine(Path.GetTempPath(), "derogation-upload-memory.txt"), $"{growth / 1024 / 1024} MB");
    }
}
