using Derogation.Core.Documents;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// One real ClamAV daemon for the test run (Debian's clamav-daemon, started from its binaries with the EICAR test
/// signature), unless Antivirus__Host points at one already. Removed when the test process ends.
/// </summary>
public static class TestAntivirus
{
    private static readonly Lazy<Task<AntivirusOptions>> Shared = new(StartAsync);

    public static Task<AntivirusOptions> OptionsAsync() => Shared.Value;

    /// <summary>A daemon of one's own, for a test that stops it.</summary>
    public static Task<LocalClamd> StartOwnAsync() =>
        LocalClamd.StartAsync(Path.Combine(Path.GetTempPath(), $"derogation-clamd-{Guid.NewGuid():N}"), throwAway: true);

    private static async Task<AntivirusOptions> StartAsync()
    {
        var host = Environment.GetEnvironmentVariable("Antivirus__Host");
        if (!string.IsNullOrWhiteSpace(host))
        {
            return new AntivirusOptions { Host = host, Port = int.TryParse(Environment.GetEnvironmentVariable("Antivirus__Port"), out var port) ? port : 3310 };
        }

        return (await StartOwnAsync()).Options;
    }
}
