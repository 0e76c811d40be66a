using Derogation.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the tests run against: the server named by ConnectionStrings__Derogation when it is set
/// (its user needs CREATEDB), otherwise a throw-away local server in the temp folder, started once per test
/// run and deleted at exit. The schema is migrated once into a template database; each test class gets its
/// own copy (CREATE DATABASE … TEMPLATE …, a few tens of milliseconds), so tests never see each other's rows.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);
    private static readonly SemaphoreSlim CloneLock = new(1, 1);

    /// <summary>A new database with the full schema, for one test class (or one test).</summary>
    public static async Task<string> CreateAsync()
    {
        var server = await Shared.Value;
        var name = $"test_{Guid.NewGuid():N}";
        await CloneLock.WaitAsync();
        try
        {
            await server.ExecuteAsync($"CREATE DATABASE \"{name}\" TEMPLATE \"{server.TemplateName}\"");
        }
        finally
        {
            CloneLock.Release();
        }

        server.Created.Add(name);
        return server.ConnectionString(name);
    }

    /// <summary>A new, empty database (no schema), for tests of the migrations themselves.</summary>
    public static async Task<string> CreateEmptyAsync()
    {
        var server = await Shared.Value;
        var name = $"empty_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        server.Created.Add(name);
        return server.ConnectionString(name);
    }

    private static async Task<Server> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Derogation");
        LocalPostgres? local = null;
        NpgsqlConnectionStringBuilder admin;
        if (string.IsNullOrWhiteSpace(configured))
        {
            local = LocalPostgres.Start(Path.Combine(Path.GetTempPath(), $"derogation-tests-{Guid.NewGuid():N}"), throwAway: true);
            admin = new NpgsqlConnectionStringBuilder(local.ConnectionString("postgres"));
        }
        else
        {
            admin = new NpgsqlConnectionStringBuilder(configured);
        }

        var server = new Server(admin, local, $"template_{Guid.NewGuid():N}");
        await server.ExecuteAsync($"CREATE DATABASE \"{server.TemplateName}\"");
        server.Created.Add(server.TemplateName);
        var templateConnection = server.ConnectionString(server.TemplateName);
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(templateConnection);
        // A template cannot be copied while anyone is connected to it.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(templateConnection));

        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Dispose();
        return server;
    }

    private sealed class Server(NpgsqlConnectionStringBuilder admin, LocalPostgres? local, string templateName) : IDisposable
    {
        public string TemplateName { get; } = templateName;

        public List<string> Created { get; } = [];

        public string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database, Pooling = true }.ConnectionString;

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        public void Dispose()
        {
            NpgsqlConnection.ClearAllPools();
            if (local is not null)
            {
                local.Stop(); // deletes the whole throw-away server
                return;
            }

            // On a configured server, leave nothing behind.
            foreach (var database in Created.AsEnumerable().Reverse())
            {
                try
                {
                    ExecuteAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)").GetAwaiter().GetResult();
                }
                catch (NpgsqlException)
                {
                    // Best effort at process exit; a leftover test database holds no real data.
                }
            }
        }
    }
}
