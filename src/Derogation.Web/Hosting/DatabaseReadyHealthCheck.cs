using Derogation.Core.Data;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Derogation.Web.Hosting;

/// <summary>Ready when the database answers and every migration script has been applied.</summary>
internal sealed class DatabaseReadyHealthCheck(PortalConnectionString connectionString) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString.Value);
            await connection.OpenAsync(cancellationToken);
            var pending = await SchemaMigrator.PendingAsync(connection, cancellationToken);
            return pending.Count == 0
                ? HealthCheckResult.Healthy("Database reachable, schema current.")
                : HealthCheckResult.Unhealthy($"{pending.Count} schema migration(s) not applied.");
        }
        catch (Exception exception) when (exception is NpgsqlException or TimeoutException)
        {
            // The exception (which may name the host) goes to the server log, not to the response.
            return HealthCheckResult.Unhealthy("Database unreachable.", exception);
        }
    }
}

/// <summary>The connection string the portal resolved at start-up (configured, or the local server's).</summary>
internal sealed record PortalConnectionString(string Value);
