using Derogation.Core.Review;

namespace Derogation.Bench;

/// <summary>
/// The statistics page as it opens (the last twelve months) on 100,000 applications filed over five years, with their
/// decisions and information requests, at 2 concurrent ANSM users (a page a few people read, not the queue); beside it,
/// the very SQL the page sends (captured from EF Core) run directly with Npgsql.
/// </summary>
public static class StatisticsScenario
{
    public const int Users = 2;

    public static async Task<Row> RunAsync(PortalProcess portal, BenchDatabase database, int requests)
    {
        const string path = "/instruction/statistiques";
        var clients = new List<HttpClient>();
        for (var i = 0; i < Users; i++)
        {
            clients.Add(await PortalClient.SignedInAsync(portal.Address, "evaluateur@demo.test", "Demo-Derogation-2026!"));
        }

        var page = await Load.RunAsync("statistics page", Users, requests, async (worker, _) =>
        {
            var html = await clients[worker].GetStringAsync(path);
            if (!html.Contains("id=\"table-delais\"", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The statistics page shows no time to a decision.");
            }
        }, otherProcessCpu: portal.CpuTime);
        var commands = await QueueScenario.CaptureAsync(database.ConnectionString,
            db => new ActivityStatistics(db, TimeProvider.System) is var statistics ? statistics.ReadAsync(statistics.DefaultFilter()) : Task.CompletedTask);
        var floor = await Load.RunAsync("statistics SQL", Users, requests, async (_, _) => await QueueScenario.ExecuteAsync(database.ConnectionString, commands));
        Console.WriteLine();
        Console.WriteLine("Query plans of the statistics page (EXPLAIN ANALYZE):");
        Console.WriteLine(await QueueScenario.ExplainAsync(database.ConnectionString, commands));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return Row.Latency($"statistics page, last 12 months of 100,000 applications, {Users} users", page, floor, targetP95: 300);
    }
}
