using System.Security.Cryptography;
using System.Text;
using Derogation.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// The PostgreSQL the tests run against: the server named by ConnectionStrings__Derogation when it is set
/// (its user needs CREATEDB), otherwise a throw-away local server in the temp folder, started once per test
/// run and removed by a watchdog when the test process exits. The schema is migrated once into a template
/// database; each test class gets its own copy (CREATE DATABASE … TEMPLATE …, a few tens of milliseconds),
/// so tests never see each other's rows, and drops it when done.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<Server>> Shared = new(StartAsync);
    private static readonly SemaphoreSlim CloneLock = new(1, 1);

    /// <summary>A new database with the full schema; dropped when the lease is disposed.</summary>
    public static async Task<DatabaseLease> CreateAsync()
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

        return new DatabaseLease(server, name);
    }

    /// <summary>A new, empty database (no schema), for tests of the migrations themselves.</summary>
    public static async Task<DatabaseLease> CreateEmptyAsync()
    {
        var server = await Shared.Value;
        var name = $"empty_{Guid.NewGuid():N}";
        await server.ExecuteAsync($"CREATE DATABASE \"{name}\"");
        return new DatabaseLease(server, name);
    }

    private static async Task<Server> StartAsync()
    {
        var configured = Environment.GetEnvironmentVariable("ConnectionStrings__Derogation");
        NpgsqlConnectionStringBuilder admin;
        if (string.IsNullOrWhiteSpace(configured))
        {
            LocalPostgres.RemoveAbandoned(Path.GetTempPath(), "derogation-tests-");
            var local = LocalPostgres.Start(Path.Combine(Path.GetTempPath(), $"derogation-tests-{Guid.NewGuid():N}"), throwAway: true);
            admin = new NpgsqlConnectionStringBuilder(local.ConnectionString("postgres"));
        }
        else
        {
            admin = new NpgsqlConnectionStringBuilder(configured);
        }

        // Named after the schema it holds: on a configured server, later runs reuse it instead of piling up.
        var schema = string.Concat(SchemaMigrator.All.Select(m => m.Checksum));
        var templateName = $"template_derogation_{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(schema)))[..16]}";
        var server = new Server(admin, templateName);
        if (!await server.ExistsAsync(templateName))
        {
            // Built under a temporary name and renamed, so a run killed half-way never leaves a broken template.
            var building = $"building_{Guid.NewGuid():N}";
            await server.ExecuteAsync($"CREATE DATABASE \"{building}\"");
            var buildingConnection = server.ConnectionString(building);
            await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(buildingConnection);
            NpgsqlConnection.ClearPool(new NpgsqlConnection(buildingConnection));
            try
            {
                await server.ExecuteAsync($"ALTER DATABASE \"{building}\" RENAME TO \"{templateName}\"");
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                await server.ExecuteAsync($"DROP DATABASE \"{building}\""); // another run built it first
            }
        }

        return server;
    }

    internal sealed class Server(NpgsqlConnectionStringBuilder admin, string templateName)
    {
        public string TemplateName { get; } = templateName;

        public string ConnectionString(string database) =>
            new NpgsqlConnectionStringBuilder(admin.ConnectionString) { Database = database }.ConnectionString;

        public async Task<bool> ExistsAsync(string database)
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
            command.Parameters.AddWithValue("name", database);
            return await command.ExecuteScalarAsync() is not null;
        }

        public async Task ExecuteAsync(string sql)
        {
            await using var connection = new NpgsqlConnection(admin.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}

/// <summary>One test database; disposing it drops the database.</summary>
public sealed class DatabaseLease : IAsyncDisposable
{
    private readonly TestDatabase.Server _server;
    private readonly string _name;

    internal DatabaseLease(TestDatabase.Server server, string name)
    {
        _server = server;
        _name = name;
        ConnectionString = server.ConnectionString(name);
    }

    public string ConnectionString { get; }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        await _server.ExecuteAsync($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }
}
