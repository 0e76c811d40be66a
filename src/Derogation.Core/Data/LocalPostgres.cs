using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Derogation.Core.Data;

/// <summary>
/// A PostgreSQL server started from the machine's own binaries (initdb, pg_ctl), for development and
/// tests when no connection string is configured. It listens on 127.0.0.1 only, on a free port, with
/// trust authentication: it is never used outside Development and the tests.
/// PostgreSQL refuses to run as root, so as root every command runs as the <c>postgres</c> system user.
/// </summary>
public sealed class LocalPostgres : IDisposable
{
    public const string SuperUser = "derogation";

    private readonly string _root;
    private readonly bool _throwAway;
    private readonly string _pgCtl;
    private bool _stopped;

    private LocalPostgres(string root, bool throwAway, string binDirectory, int port)
    {
        _root = root;
        _throwAway = throwAway;
        _pgCtl = Path.Combine(binDirectory, "pg_ctl");
        Port = port;
    }

    public int Port { get; }

    public string DataDirectory => Path.Combine(_root, "data");

    /// <summary>
    /// Starts (or, when a previous run left it running, reuses) the server whose files live in
    /// <paramref name="root"/>. A throw-away server trades durability for speed and is deleted on stop.
    /// </summary>
    public static LocalPostgres Start(string root, bool throwAway)
    {
        var bin = FindBinDirectory();
        root = Path.GetFullPath(root);
        Directory.CreateDirectory(root);
        var dataDirectory = Path.Combine(root, "data");
        var runAsPostgres = Environment.UserName == "root";
        if (runAsPostgres && !OperatingSystem.IsWindows())
        {
            // The postgres user must own the folder and be able to reach it.
            Run("chown", ["-R", "postgres:postgres", root], runAsPostgres: false);
            AllowTraversal(root);
        }

        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            Run(Path.Combine(bin, "initdb"),
                ["-D", dataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-instructions"],
                runAsPostgres);
        }

        var server = TryReuseRunning(root, throwAway, bin, dataDirectory, runAsPostgres);
        if (server is not null)
        {
            return server;
        }

        var port = FreePort();
        var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200";
        if (throwAway)
        {
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        Run(Path.Combine(bin, "pg_ctl"),
            ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(root, "postgres.log"), "-o", options],
            runAsPostgres);
        if (throwAway)
        {
            RemoveWhenThisProcessExits(root, Path.Combine(bin, "pg_ctl"), dataDirectory, runAsPostgres);
        }

        return new LocalPostgres(root, throwAway, bin, port);
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    /// <summary>Creates the database when it does not exist yet and returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string database)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync() is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database}\"", connection);
            await create.ExecuteNonQueryAsync();
        }

        return ConnectionString(database);
    }

    public void Stop()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        NpgsqlConnection.ClearAllPools();
        // A throw-away server has nothing worth a shutdown checkpoint.
        Run(_pgCtl, ["stop", "-D", DataDirectory, "-m", _throwAway ? "immediate" : "fast", "-w"], Environment.UserName == "root");
        if (_throwAway)
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    public void Dispose() => Stop();

    /// <summary>
    /// A detached watchdog stops and deletes a throw-away server once the process that started it has exited,
    /// however it exits: test runners end their host process without waiting for exit handlers.
    /// </summary>
    private static void RemoveWhenThisProcessExits(string root, string pgCtl, string dataDirectory, bool runAsPostgres)
    {
        var stop = $"{(runAsPostgres ? "runuser -u postgres -- " : "")}'{pgCtl}' stop -D '{dataDirectory}' -m immediate";
        var script = $"exec </dev/null >/dev/null 2>&1; while kill -0 {Environment.ProcessId}; do sleep 0.2; done; {stop}; rm -rf '{root}'";
        var start = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var argument in new[] { "sh", "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        Process.Start(start)?.Dispose();
    }

    /// <summary>
    /// Deletes throw-away servers that a killed run left behind under <paramref name="parent"/>: folders named
    /// <paramref name="prefix"/>… whose server is no longer running and which nothing has touched for ten
    /// minutes (a run starting right now has a folder but no server yet).
    /// </summary>
    public static void RemoveAbandoned(string parent, string prefix)
    {
        foreach (var folder in Directory.GetDirectories(parent, prefix + "*"))
        {
            var pidFile = Path.Combine(folder, "data", "postmaster.pid");
            var running = File.Exists(pidFile)
                          && int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid)
                          && Directory.Exists($"/proc/{pid}");
            if (!running && Directory.GetLastWriteTimeUtc(folder) < DateTime.UtcNow.AddMinutes(-10))
            {
                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                    // Another run may be creating or removing it right now; leave it.
                }
            }
        }
    }

    private static LocalPostgres? TryReuseRunning(string root, bool throwAway, string bin, string dataDirectory, bool runAsPostgres)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return null;
        }

        // pg_ctl status exits 0 only when the server is running; a stale pid file from a crash is ignored.
        if (Run(Path.Combine(bin, "pg_ctl"), ["status", "-D", dataDirectory], runAsPostgres, throwOnError: false) != 0)
        {
            return null;
        }

        // postmaster.pid line 4 is the port.
        var lines = File.ReadAllLines(pidFile);
        return lines.Length > 3 && int.TryParse(lines[3], out var port) ? new LocalPostgres(root, throwAway, bin, port) : null;
    }

    private static string FindBinDirectory()
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(directory, "pg_ctl")) && File.Exists(Path.Combine(directory, "initdb")))
            {
                return directory;
            }
        }

        const string debianRoot = "/usr/lib/postgresql";
        var candidates = Directory.Exists(debianRoot)
            ? Directory.GetDirectories(debianRoot)
                .Select(d => (Directory: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .Where(c => File.Exists(Path.Combine(c.Directory, "pg_ctl")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Directory)
            : [];
        return candidates.FirstOrDefault() ?? throw new InvalidOperationException(
            "No PostgreSQL binaries found (initdb, pg_ctl on PATH or under /usr/lib/postgresql/*/bin). " +
            "Install PostgreSQL 15 or later (Debian: apt-get install postgresql), or set ConnectionStrings__Derogation.");
    }

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void AllowTraversal(string path)
    {
        // Every parent folder needs o+x so the postgres user can reach the data directory.
        for (var directory = new DirectoryInfo(path).Parent; directory is not null; directory = directory.Parent)
        {
            var mode = File.GetUnixFileMode(directory.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(directory.FullName, mode | UnixFileMode.OtherExecute);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static int Run(string fileName, IReadOnlyList<string> arguments, bool runAsPostgres, bool throwOnError = true)
    {
        var start = new ProcessStartInfo(runAsPostgres ? "runuser" : fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (runAsPostgres)
        {
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add("postgres");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (throwOnError && process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"{Path.GetFileName(fileName)} failed (exit {process.ExitCode}): {error.Result.Trim()} {output.Result.Trim()}");
        }

        return process.ExitCode;
    }
}
