using Derogation.Core.Data;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derogation.Tests.Platform;

/// <summary>
/// The schema is written by hand (docs/adr/0001), so this test is what keeps it honest: a database built by
/// the migration scripts must be exactly the database EF would build from the model. Add an entity property
/// without a migration and this fails, naming the difference.
/// </summary>
public sealed class MigrationsMatchModelTests
{
    [Fact]
    public async Task Migrations_BuildExactlyTheSchemaTheEfModelDescribes()
    {
        await using var fromMigrations = await TestDatabase.CreateAsync();
        await using var fromModel = await TestDatabase.CreateEmptyAsync();
        string modelScript;
        await using (var db = new DerogationDbContext(DerogationDbContext.Options(fromModel.ConnectionString)))
        {
            await db.Database.EnsureCreatedAsync();
            modelScript = db.Database.GenerateCreateScript();
        }

        var expected = await SchemaSnapshot.ReadAsync(fromModel.ConnectionString);
        var actual = await SchemaSnapshot.ReadAsync(fromMigrations.ConnectionString);

        var missing = expected.Except(actual).ToList();
        var unexpected = actual.Except(expected).ToList();
        Assert.True(missing.Count == 0 && unexpected.Count == 0,
            "The migrations do not build the schema of the EF model. Add a script to src/Derogation.Core/Data/Migrations.\n" +
            $"In the model but not built by the migrations:\n  {string.Join("\n  ", missing)}\n" +
            $"Built by the migrations but not in the model:\n  {string.Join("\n  ", unexpected)}\n" +
            $"For reference, EF's own script for the whole model:\n{modelScript}");
        Assert.NotEmpty(expected);
    }

    [Fact]
    public async Task SchemaSnapshot_SeesAColumnTheModelDoesNotHave()
    {
        // Guards the guard: if the snapshot missed columns, the test above could never fail.
        await using var database = await TestDatabase.CreateAsync();
        var before = await SchemaSnapshot.ReadAsync(database.ConnectionString);
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var alter = new NpgsqlCommand("ALTER TABLE data_protection_keys ADD COLUMN note text", connection);
            await alter.ExecuteNonQueryAsync();
        }

        var after = await SchemaSnapshot.ReadAsync(database.ConnectionString);
        Assert.Equal(["column data_protection_keys.note text null"], after.Except(before));
    }
}
