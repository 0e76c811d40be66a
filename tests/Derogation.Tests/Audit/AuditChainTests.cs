using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derogation.Tests.Audit;

/// <summary>The audit trail is append-only and hash-chained: tampering with any row is detected.</summary>
public sealed class AuditChainTests
{
    private static DerogationDbContext Context(string connectionString) =>
        new(DerogationDbContext.Options(connectionString));

    private static async Task WriteEventsAsync(string connectionString, int count)
    {
        await using var db = Context(connectionString);
        for (var i = 0; i < count; i++)
        {
            db.Record(TimeProvider.System, AuditActions.SignedIn, Guid.NewGuid(), "User", Guid.NewGuid().ToString(), $"event {i}");
        }

        await db.SaveChangesAsync();
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long?> FirstBrokenAsync(string connectionString)
    {
        await using var db = Context(connectionString);
        return await new AuditChain(db).FirstBrokenAsync();
    }

    [Fact]
    public async Task Chain_IsIntact_WhenEventsAreOnlyAppended()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WriteEventsAsync(database.ConnectionString, 5);
        Assert.Null(await FirstBrokenAsync(database.ConnectionString));
    }

    [Fact]
    public async Task EditedRow_IsDetected_AtItsPosition()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WriteEventsAsync(database.ConnectionString, 5);
        // Someone with direct access to the database switches the guard off and rewrites history.
        await ExecuteAsync(database.ConnectionString, """
            ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
            UPDATE audit_events SET details = 'rewritten' WHERE chain_position = 3;
            ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
            """);
        Assert.Equal(3, await FirstBrokenAsync(database.ConnectionString));
    }

    [Fact]
    public async Task DeletedRow_IsDetected_AtTheNextPosition()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WriteEventsAsync(database.ConnectionString, 5);
        await ExecuteAsync(database.ConnectionString, """
            ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;
            DELETE FROM audit_events WHERE chain_position = 2;
            ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only;
            """);
        Assert.Equal(3, await FirstBrokenAsync(database.ConnectionString));
    }

    [Fact]
    public async Task UpdatesAndDeletes_AreRefusedByTheDatabase()
    {
        await using var database = await TestDatabase.CreateAsync();
        await WriteEventsAsync(database.ConnectionString, 1);
        var update = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database.ConnectionString, "UPDATE audit_events SET details = 'x'"));
        Assert.Contains("append-only", update.MessageText);
        var delete = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(database.ConnectionString, "DELETE FROM audit_events"));
        Assert.Contains("append-only", delete.MessageText);
    }

    [Fact]
    public async Task ConcurrentWriters_ExtendOneUnbrokenChain()
    {
        await using var database = await TestDatabase.CreateAsync();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => WriteEventsAsync(database.ConnectionString, 5))));

        await using var db = Context(database.ConnectionString);
        var positions = await db.AuditEvents.OrderBy(e => e.ChainPosition).Select(e => e.ChainPosition).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), positions);
        Assert.Null(await new AuditChain(db).FirstBrokenAsync());
    }
}
