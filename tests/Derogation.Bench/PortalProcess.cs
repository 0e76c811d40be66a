using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace Derogation.Bench;

/// <summary>
/// The portal as it runs: its own process (Release build), on a loopback port, against the bench database, in the
/// Development environment (its demo accounts, and ANSM staff without a second factor for scripted sign-in).
/// Memory is read from the kernel (/proc/{pid}/status): VmHWM is the peak resident set.
/// </summary>
public sealed partial class PortalProcess : IAsyncDisposable
{
    private readonly Process _process;

    private PortalProcess(Process process, Uri address, TimeSpan startup)
    {
        _process = process;
        Address = address;
        StartupTime = startup;
    }

    public Uri Address { get; }

    /// <summary>From process start to the first 200 from /health/ready.</summary>
    public TimeSpan StartupTime { get; }

    public static async Task<PortalProcess> StartAsync(string connectionString, string repositoryRoot)
    {
        var webDirectory = Path.Combine(repositoryRoot, "src", "Derogation.Web");
        var dll = Path.Combine(webDirectory, "bin", "Release", "net10.0", "Derogation.Web.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"Build the portal first (the bench's own build does): {dll} is missing.");
        }

        var port = FreePort();
        var address = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = webDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = address.ToString();
        start.Environment["ConnectionStrings__Derogation"] = connectionString;
        // Every simulated user signs in from the same loopback address: lift the per-address sign-in guard for the run.
        start.Environment["Accounts__FormPostsPerMinute"] = "10000";
        // The API row measures the endpoint, not the per-token limit (300 a minute by default, docs/api.md).
        start.Environment["Api__RequestsPerMinute"] = "10000000";
        start.Environment["Mail__PickupDirectory"] = Path.Combine(Path.GetTempPath(), $"derogation-bench-mail-{port}");
        var stopwatch = Stopwatch.StartNew();
        var process = Process.Start(start)!;
        // Drained, so the portal never blocks on a full pipe; kept out of the bench's own output, except its errors
        // (an error line and the exception lines under it), which explain a failed scenario.
        var inError = false;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            inError = e.Data.Contains(" ERR] ", StringComparison.Ordinal) || e.Data.Contains(" FTL] ", StringComparison.Ordinal) || (inError && !e.Data.StartsWith('['));
            if (inError)
            {
                Console.Error.WriteLine($"[portal] {e.Data}");
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[portal] {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(2) };
        while (stopwatch.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The portal stopped with exit code {process.ExitCode}.");
            }

            try
            {
                if ((await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK)
                {
                    return new PortalProcess(process, address, stopwatch.Elapsed);
                }
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException("The portal did not become ready within 120 s.");
    }

    /// <summary>Resident memory now and at its peak, in MB.</summary>
    public (double Current, double Peak) MemoryMegabytes()
    {
        var status = File.ReadAllText($"/proc/{_process.Id}/status");
        return (Kilobytes(status, "VmRSS") / 1024.0, Kilobytes(status, "VmHWM") / 1024.0);
    }

    /// <summary>CPU time the portal has used so far (user + system), from /proc/{pid}/stat: where the time goes, counted.</summary>
    public TimeSpan CpuTime()
    {
        // Fields 14 and 15 (utime, stime) in clock ticks, after the command name in parentheses.
        var fields = File.ReadAllText($"/proc/{_process.Id}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>Resets the kernel's peak (VmHWM) to the current resident set, so a scenario's own peak can be read.</summary>
    public void ResetPeakMemory() => File.WriteAllText($"/proc/{_process.Id}/clear_refs", "5");

    private static long Kilobytes(string status, string field) =>
        long.Parse(Regex.Match(status, $@"^{field}:\s+(\d+) kB", RegexOptions.Multiline).Groups[1].Value);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
