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
    public async Task StepNamesMigration_RewritesTheSectionsStoredBySlug_AsTheStepsStableNames_InTheirOrder()
    {
        await using var database = await TestDatabase.CreateEmptyAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        async Task ExecuteAsync(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }

        foreach (var migration in SchemaMigrator.All.Where(m => m.Version < 21))
        {
            await ExecuteAsync(migration.Sql);
        }

        // A request made before the change, as stored then (the application row itself does not matter here).
        await ExecuteAsync("""
            SET session_replication_role = replica;
            INSERT INTO information_requests (id, application_id, round, message, amendable_sections, requested_at, requested_by_user_id)
            VALUES (gen_random_uuid(), gen_random_uuid(), 1, 'Précisez.',
                    ARRAY['securite-performances', 'dispositif', 'patient', 'parties', 'marquage-ce', 'professionnels', 'perimetre', 'derogations-anterieures', 'documents', 'declarations'],
                    now(), gen_random_uuid());
            SET session_replication_role = DEFAULT;
            """);
        await ExecuteAsync(SchemaMigrator.All.Single(m => m.Version == 21).Sql);

        await using var read = new NpgsqlCommand("SELECT amendable_sections FROM information_requests", connection);
        var sections = (string[])(await read.ExecuteScalarAsync())!;
        Assert.Equal(["Safety", "Device", "Patient", "Parties", "NonCompliance", "HealthProfessionals", "GlobalScope", "EarlierDerogations", "Documents", "Declarations"], sections);
        // Every step of both wizards is among the names the migration writes.
        var steps = new[] { Derogation.Core.Applications.ApplicationKind.Individual, Derogation.Core.Applications.ApplicationKind.Global }
            .SelectMany(Derogation.Core.Applications.WizardSteps.For).Select(s => s.Name).Distinct();
        Assert.All(steps, name => Assert.Contains(name, sections));
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
