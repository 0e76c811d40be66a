using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Hosting;

/// <summary>
/// Where the portal's data lives. With ConnectionStrings:Derogation set, that server; otherwise, in
/// Development only, a local PostgreSQL started from the machine's binaries whose files live in the
/// git-ignored .data/ folder, so a draft saved yesterday is still there today.
/// </summary>
internal static class PortalDatabase
{
    public const string ConnectionStringName = "Derogation";

    public static async Task<string> AddPortalDatabaseAsync(this WebApplicationBuilder builder)
    {
        var connectionString = builder.Configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            if (!builder.Environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    "ConnectionStrings:Derogation is not configured. Set the environment variable ConnectionStrings__Derogation. " +
                    "(A local PostgreSQL is started automatically only in Development.)");
            }

            var folder = builder.Configuration["LocalPostgres:Folder"]
                         ?? Path.Combine(builder.Environment.ContentRootPath, ".data", "postgres");
            var server = LocalPostgres.Start(folder, throwAway: false);
            builder.Services.AddSingleton(server);
            builder.Services.AddHostedService<LocalPostgresLifetime>();
            connectionString = await server.EnsureDatabaseAsync("derogation");
        }

        // Pooled: the context holds no per-request state, and setting one up was a measurable part of each request
        // (docs/performance.md).
        builder.Services.AddDbContextPool<DerogationDbContext>(options => DerogationDbContext.Configure(options, connectionString));
        builder.Services.AddSingleton<SchemaMigrator>();
        return connectionString;
    }

    /// <summary>Stops the local server when the portal stops (Ctrl+C, or the host shutting down).</summary>
    private sealed class LocalPostgresLifetime(LocalPostgres server) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            server.Stop();
            return Task.CompletedTask;
        }
    }
}
