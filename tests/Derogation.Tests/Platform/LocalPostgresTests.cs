using Derogation.Core.Data;
using Npgsql;

namespace Derogation.Tests.Platform;

/// <summary>The development database: started from the machine's binaries, and still there after a restart.</summary>
public sealed class LocalPostgresTests
{
    [Fact]
    public async Task Restart_KeepsWhatWasSaved()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"derogation-restart-{Guid.NewGuid():N}");
        try
        {
            var first = LocalPostgres.Start(folder, throwAway: false);
            var connectionString = await first.EnsureDatabaseAsync("derogation");
            await ExecuteAsync(connectionString, "CREATE TABLE draft (title text); INSERT INTO draft VALUES ('saved yesterday')");
            first.Stop();

            var second = LocalPostgres.Start(folder, throwAway: false);
            try
            {
                await using var connection = new NpgsqlConnection(await second.EnsureDatabaseAsync("derogation"));
                await connection.OpenAsync();
                await using var read = new NpgsqlCommand("SELECT title FROM draft", connection);
                Assert.Equal("saved yesterday", await read.ExecuteScalarAsync());
            }
            finally
            {
                second.Stop();
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Start_WhenAlreadyRunning_ReusesTheServer()
    {
        // A portal killed without a clean shutdown leaves its server running; the next start must reuse it.
        var folder = Path.Combine(Path.GetTempPath(), $"derogation-reuse-{Guid.NewGuid():N}");
        var first = LocalPostgres.Start(folder, throwAway: true);
        try
        {
            var second = LocalPostgres.Start(folder, throwAway: false);
            Assert.Equal(first.Port, second.Port);
            await using var connection = new NpgsqlConnection(second.ConnectionString("postgres"));
            await connection.OpenAsync();
        }
        finally
        {
            first.Stop();
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
