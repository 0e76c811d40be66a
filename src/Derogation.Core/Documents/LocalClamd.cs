using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Derogation.Core.Documents;

/// <summary>
/// A ClamAV daemon started from the machine's binaries (Debian's clamav-daemon) for development and tests, when no
/// Antivirus:Host is configured. There is no internet here, so freshclam cannot fetch ClamAV's signatures: the
/// database this writes holds one signature only, for the EICAR test string, which is what the tests need to prove
/// that an infected file is refused. Production points at a maintained clamd instead.
/// </summary>
public sealed class LocalClamd : IDisposable
{
    /// <summary>The name clamd reports for the EICAR test string.</summary>
    public const string TestSignature = "Eicar-Test-Signature";

    /// <summary>The EICAR anti-virus test string (harmless by design; every antivirus detects it).</summary>
    public static readonly byte[] Eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"u8.ToArray();

    private readonly Process _process;
    private readonly string _root;
    private readonly bool _throwAway;
    private bool _stopped;

    private LocalClamd(Process process, string root, bool throwAway, int port)
    {
        _process = process;
        _root = root;
        _throwAway = throwAway;
        Port = port;
    }

    public int Port { get; }

    public AntivirusOptions Options => new() { Host = "127.0.0.1", Port = Port };

    /// <summary>Starts clamd with its files under <paramref name="root"/> and waits until it answers PING.</summary>
    public static async Task<LocalClamd> StartAsync(string root, bool throwAway)
    {
        var clamd = Find() ?? throw new InvalidOperationException(
            "clamd not found. Install ClamAV's daemon (Debian: apt-get install clamav-daemon), or set Antivirus__Host and Antivirus__Port.");
        root = Path.GetFullPath(root);
        var database = Path.Combine(root, "database");
        Directory.CreateDirectory(database);
        // An extended (body) signature: the EICAR string anywhere in any file, a PDF included.
        await File.WriteAllTextAsync(Path.Combine(database, "portal-test.ndb"), $"{TestSignature}:0:*:{Convert.ToHexStringLower(Eicar)}\n");
        var port = FreePort();
        var configuration = Path.Combine(root, "clamd.conf");
        await File.WriteAllLinesAsync(configuration,
        [
            "Foreground yes",
            $"DatabaseDirectory {database}",
            "TCPAddr 127.0.0.1",
            $"TCPSocket {port}",
            $"PidFile {Path.Combine(root, "clamd.pid")}",
            // The portal accepts files of up to 100 MB by default: clamd must read them whole.
            "StreamMaxLength 200M",
            "MaxFileSize 200M",
            "MaxScanSize 400M",
            "LogTime yes",
        ]);
        var start = new ProcessStartInfo(clamd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configuration);

        var process = Process.Start(start) ?? throw new InvalidOperationException("clamd did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new LocalClamd(process, root, throwAway, port);
        StopWhenThisProcessExits(process.Id, throwAway ? root : null);
        var scanner = new ClamdScanner(server.Options);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await scanner.PingAsync())
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                server.Stop();
                throw new InvalidOperationException($"clamd did not answer on 127.0.0.1:{port} (exit code {(process.HasExited ? process.ExitCode : "none")}).");
            }

            await Task.Delay(100);
        }

        return server;
    }

    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        if (_throwAway && Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public void Dispose() => Stop();

    private static string? Find() =>
        new[] { "/usr/sbin/clamd", "/usr/local/sbin/clamd", "/usr/bin/clamd" }.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "clamd")).FirstOrDefault(File.Exists);

    /// <summary>
    /// Test runners end their host without exit handlers: a detached watchdog stops clamd once this process is gone,
    /// and deletes a throw-away daemon's folder.
    /// </summary>
    private static void StopWhenThisProcessExits(int clamdId, string? folderToDelete)
    {
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 0.5; done; kill {clamdId}" +
                     (folderToDelete is null ? "" : $"; sleep 1; rm -rf '{folderToDelete}'");
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        Process.Start(start)?.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
