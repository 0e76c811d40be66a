using System.Data.Common;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Derogation.Bench;

/// <summary>
/// The reviewers' queue with 100,000 applications: the first page of a filtered tab in the default sort, and a
/// search by exact reference, through the portal at 8 concurrent reviewers; beside them, the very SQL the portal
/// sends (captured from EF Core) run directly with Npgsql, and its query plans.
/// </summary>
public static class QueueScenario
{
    public const int Reviewers = 8;
    public const string QueuePath = "/instruction?onglet=ToTake&type=Individual";

    public static async Task<IReadOnlyList<Row>> RunAsync(PortalProcess portal, BenchDatabase database, int requests)
    {
        var clients = new List<HttpClient>();
        for (var i = 0; i < Reviewers; i++)
        {
            clients.Add(await PortalClient.SignedInAsync(portal.Address, "evaluateur@demo.test", "Demo-Derogation-2026!"));
        }

        var references = await SampleReferencesAsync(database.ConnectionString, 500);
        // The floor: the portal's own commands for the same page, straight to PostgreSQL, measured in turn with the page.
        var queueCommands = await CaptureAsync(database.ConnectionString, new QueueFilter(QueueTab.ToTake, Kind: ApplicationKind.Individual));
        var searchCommands = await CaptureAsync(database.ConnectionString, new QueueFilter(QueueTab.All, Search: references[0]));
        var (queue, floor) = await Load.AlternateAsync(
            new Load.Side("queue page", async (worker, _) =>
            {
                var html = await clients[worker].GetStringAsync(QueuePath);
                if (!html.Contains("DIV-", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException("The queue page shows no application.");
                }
            }, portal.CpuTime),
            new Load.Side("queue SQL", async (_, _) => await ExecuteAsync(database.ConnectionString, queueCommands)),
            Reviewers, requests);
        var (search, searchFloor) = await Load.AlternateAsync(
            new Load.Side("exact reference", async (worker, index) =>
            {
                var reference = references[Math.Abs(index) % references.Count];
                var html = await clients[worker].GetStringAsync($"/instruction?onglet=All&recherche={reference}");
                if (!html.Contains($">{reference}<", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"The search for {reference} did not find it.");
                }
            }, portal.CpuTime),
            new Load.Side("reference SQL", async (_, _) => await ExecuteAsync(database.ConnectionString, searchCommands)),
            Reviewers, requests);
        Console.WriteLine($"Portal CPU per request: queue page {queue.OtherProcessCpu.TotalMilliseconds / queue.Count:0.0} ms, "
                          + $"reference search {search.OtherProcessCpu.TotalMilliseconds / search.Count:0.0} ms.");

        Console.WriteLine();
        Console.WriteLine("Query plans of the portal's own commands (EXPLAIN ANALYZE):");
        var plans = await ExplainAsync(database.ConnectionString, queueCommands.Concat(searchCommands));
        Console.WriteLine(plans);
        var usesIndexes = plans.Contains("Index Scan using ix_applications_status_target_date", StringComparison.Ordinal)
                          && plans.Contains("Index Scan using ix_applications_reference", StringComparison.Ordinal);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return
        [
            Row.Share($"reviewer queue, {Reviewers} reviewers, first page, filtered", queue, floor, minimumShare: 0.50, targetP95: 100),
            Row.Share("search by exact reference", search, searchFloor, minimumShare: 0.40, targetP95: 50),
            new Row("queue query plans", "index scans", usesIndexes ? "yes" : "NO", "—", "ix_applications_status_target_date, ix_applications_reference", usesIndexes),
        ];
    }

    private static async Task<List<string>> SampleReferencesAsync(string connectionString, int count)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT reference FROM applications WHERE reference IS NOT NULL ORDER BY random() LIMIT @count", connection);
        command.Parameters.AddWithValue("count", count);
        var references = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            references.Add(reader.GetString(0));
        }

        return references;
    }

    /// <summary>The commands EF Core sends for one queue page (the count, then the rows), with their parameters.</summary>
    private static Task<List<(string Sql, NpgsqlParameter[] Parameters)>> CaptureAsync(string connectionString, QueueFilter filter) =>
        CaptureAsync(connectionString, db => new ReviewQueue(db, TimeProvider.System).ReadAsync(filter, Guid.NewGuid()));

    /// <summary>The commands EF Core sends while <paramref name="work"/> runs, with their parameters: the SQL floor of a page.</summary>
    internal static async Task<List<(string Sql, NpgsqlParameter[] Parameters)>> CaptureAsync(string connectionString, Func<DerogationDbContext, Task> work)
    {
        var recorder = new CommandRecorder();
        var options = DerogationDbContext.Options(connectionString, builder => builder.AddInterceptors(recorder));
        await using var db = new DerogationDbContext(options);
        await work(db);
        return recorder.Commands;
    }

    internal static async Task ExecuteAsync(string connectionString, List<(string Sql, NpgsqlParameter[] Parameters)> commands)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (sql, parameters) in commands)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // Read every row, as the portal does.
            }
        }
    }

    internal static async Task<string> ExplainAsync(string connectionString, IEnumerable<(string Sql, NpgsqlParameter[] Parameters)> commands)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var (sql, parameters) in commands)
        {
            await using var command = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF) " + sql, connection);
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            await using var reader = await command.ExecuteReaderAsync();
            text.AppendLine("--- " + sql.Split('\n')[0].Trim() + " …");
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        return text.ToString();
    }

    private sealed class CommandRecorder : DbCommandInterceptor
    {
        public List<(string Sql, NpgsqlParameter[] Parameters)> Commands { get; } = [];

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Commands.Add((command.CommandText, command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone()).ToArray()));
            return ValueTask.FromResult(result);
        }
    }
}
