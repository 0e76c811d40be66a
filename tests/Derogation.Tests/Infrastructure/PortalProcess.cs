using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// The portal as production runs it: its own operating-system process (<c>dotnet Derogation.Web.dll</c>, as built
/// with the solution), listening on a loopback port, configured by environment variables. Several of them on one
/// database are what the multi-instance test puts behind its reverse proxy.
/// </summary>
public sealed class PortalProcess : IAsyncDisposable
{
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private PortalProcess(string name, int port, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        Address = new Uri($"http://127.0.0.1:{port}");
        _settings = settings;
    }

    public string Name { get; }

    public Uri Address { get; }

    /// <summary>What the process wrote on its console (its log, compact JSON outside Development).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<PortalProcess> StartAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        var instance = new PortalProcess(name, FreePort(), settings);
        await instance.StartAsync();
        return instance;
    }

    /// <summary>Starts (again) on the same port, and returns once it answers as ready.</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(WebAssembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAssembly);
        start.Environment["ASPNETCORE_URLS"] = Address.ToString().TrimEnd('/');
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Test";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException($"{Name}: dotnet did not start.");
        _process.OutputDataReceived += (_, line) => Append(line.Data);
        _process.ErrorDataReceived += (_, line) => Append(line.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var probe = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await probe.GetAsync(new Uri(Address, "/health/ready"))).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} not ready after 90 s:\n{Output}");
    }

    /// <summary>Ends the process at once, as a crash or a lost machine would: nothing is drained, nothing flushed.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>The web project's own build output, in the configuration the tests were built in.</summary>
    private static string WebAssembly
    {
        get
        {
            var testOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var framework = testOutput.Name;
            var configuration = testOutput.Parent!.Name;
            var root = testOutput;
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Derogation.sln")))
            {
                root = root.Parent;
            }

            var path = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Derogation.sln not found above the test output."),
                "src", "Derogation.Web", "bin", configuration, framework, "Derogation.Web.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException("Build the solution first (dotnet test Derogation.sln builds it).", path);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
