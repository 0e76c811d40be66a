using Derogation.Core.Data;
using Derogation.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Derogation.Tests.Platform;

public sealed class SchemaMigratorTests
{
    private static SchemaMigrator Migrator() => new(NullLogger<SchemaMigrator>.Instance);

    [Fact]
    public async Task Migrate_FromSeveralInstancesAtOnce_AppliesEachScriptExactlyOnce()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();

        // Four portal instances starting together against an empty database.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => Migrator().MigrateAsync(database.ConnectionString))));

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*), count(DISTINCT version) FROM schema_migrations", connection);
        await using var reader = await count.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal(SchemaMigrator.All.Count, reader.GetInt64(0));
        Assert.Equal(SchemaMigrator.All.Count, reader.GetInt64(1));
        await reader.CloseAsync();
        Assert.Empty(await SchemaMigrator.PendingAsync(connection, CancellationToken.None));
    }

    [Fact]
    public async Task Migrate_WhenAnAppliedScriptWasEdited_RefusesToStart()
    {
        await using var database = await TestDatabase.CreateAsync();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tamper = new NpgsqlCommand("UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1", connection);
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Migrator().MigrateAsync(database.ConnectionString));
        Assert.Contains("was changed after it was applied", error.Message);
    }

    [Fact]
    public void Scripts_AreNumberedWithoutGapsFromOne()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrator.All.Count), SchemaMigrator.All.Select(m => m.Version));
    }
}
