using Derogation.Core.Documents;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Derogation.Web.Hosting;

/// <summary>
/// Which ClamAV daemon scans the uploads. With Antivirus:Host set, that one (production points at a maintained
/// clamd); otherwise, in Development only, a local clamd started from the machine's binaries with the EICAR test
/// signature only (no internet here for freshclam). Outside Development the setting is mandatory: no upload is
/// ever accepted unscanned.
/// </summary>
internal static class PortalAntivirus
{
    public static async Task AddPortalAntivirusAsync(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Antivirus").Get<AntivirusOptions>() ?? new();
        if (string.IsNullOrWhiteSpace(options.Host))
        {
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "Antivirus:Host is not configured. Set Antivirus__Host and Antivirus__Port to a ClamAV daemon (clamd). " +
                    "(A local clamd is started automatically only in Development.)");
            }

            var folder = builder.Configuration["LocalClamd:Folder"] ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "clamd");
            var server = await LocalClamd.StartAsync(folder, throwAway: false);
            builder.Services.AddSingleton(server);
            builder.Services.AddHostedService<LocalClamdLifetime>();
            options = server.Options;
        }

        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ClamdScanner>();
        builder.Services.AddHealthChecks().AddCheck<AntivirusHealthCheck>("antivirus", tags: ["ready"]);
    }

    /// <summary>Stops the local clamd when the portal stops.</summary>
    private sealed class LocalClamdLifetime(LocalClamd server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            server.Stop();
            return Task.CompletedTask;
        }
    }
}

/// <summary>Ready only when clamd answers: otherwise every upload would be refused.</summary>
internal sealed class AntivirusHealthCheck(ClamdScanner scanner) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await scanner.PingAsync(cancellationToken)
            ? HealthCheckResult.Healthy("Antivirus answering.")
            : HealthCheckResult.Unhealthy("Antivirus unreachable: uploads are refused until it answers.");
}
