using System.Diagnostics;
using System.Globalization;
using Derogation.Bench;

// The portal's benchmarks (docs/performance.md): one command, a fresh local PostgreSQL, the portal in its own
// process, every figure printed beside its floor and its target; exits 1 when a target is missed.
//   dotnet run -c Release --project tests/Derogation.Bench [-- --applications 100000 --requests 2000]
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var applications = Argument("--applications", 100_000);
// --only letter,checks,queue,statistics,signatory,save,instances,api,upload,start: run some scenarios (all by default).
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? ["start", "queue", "statistics", "signatory", "save", "instances", "api", "upload", "checks", "letter"];
var requests = Argument("--requests", 2_000);
var root = RepositoryRoot();
var total = Stopwatch.StartNew();
var rows = new List<Row>();

Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, {Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9, 1)} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
if (only is ["checks"])
{
    // The upload checks need neither the database nor the portal either.
    foreach (var checkRow in await ChecksScenario.RunAsync(100))
    {
        Console.WriteLine($"{checkRow.Scenario}: {checkRow.Value}; {checkRow.Floor}");
    }

    return 0;
}

if (only is ["letter"])
{
    // The letter needs neither the database nor the portal.
    var letterRow = await LetterScenario.RunAsync(Argument("--letters", 500));
    Console.WriteLine($"{letterRow.Scenario}: {letterRow.Value}; {letterRow.Floor}; target {letterRow.Target}: {(letterRow.Met ? "met" : "NOT MET")}");
    return letterRow.Met ? 0 : 1;
}

await using var database = await BenchDatabase.StartAsync();
Console.WriteLine($"PostgreSQL started and migrated ({total.Elapsed.TotalSeconds:0.0} s); seeding {applications:N0} applications …");
var seeding = Stopwatch.StartNew();
await database.SeedApplicationsAsync(applications);
Console.WriteLine($"Seeded in {seeding.Elapsed.TotalSeconds:0.0} s.");

// The first start initialises what the portal needs (reference data, demo accounts); the second is the cold start measured.
await (await PortalProcess.StartAsync(database.ConnectionString, root)).DisposeAsync();
await using var portal = await PortalProcess.StartAsync(database.ConnectionString, root);
if (only.Contains("start"))
{
    rows.Add(new Row("cold start to /health/ready (database initialised)", "seconds", Row.Format(portal.StartupTime.TotalSeconds), "—", "≤ 5 s",
        portal.StartupTime <= TimeSpan.FromSeconds(5)) { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) });
}

if (only.Contains("queue"))
{
    portal.ResetPeakMemory();
    var queueRows = await QueueScenario.RunAsync(portal, database, requests);
    rows.AddRange(queueRows.Select(r => r with { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) }));
}

if (only.Contains("statistics"))
{
    portal.ResetPeakMemory();
    rows.Add((await StatisticsScenario.RunAsync(portal, database, Math.Max(50, requests / 10))) with { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) });
}

if (only.Contains("signatory"))
{
    portal.ResetPeakMemory();
    var signatoryRows = await SignatoryScenario.RunAsync(portal, database, requests, Argument("--signatures", 60));
    rows.AddRange(signatoryRows.Select(r => r with { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) }));
}

if (only.Contains("save"))
{
    portal.ResetPeakMemory();
    rows.Add((await SaveStepScenario.RunAsync(portal, database, requests)) with { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) });
}

if (only.Contains("instances"))
{
    rows.Add(await TwoInstancesScenario.RunAsync(portal, database, root, requests));
}

if (only.Contains("api"))
{
    await database.SettleAsync();
    portal.ResetPeakMemory();
    rows.Add((await ApiListScenario.RunAsync(portal, database, requests)) with { PeakMemory = Row.Format(portal.MemoryMegabytes().Peak) });
}

if (only.Contains("upload"))
{
    rows.Add(await UploadScenario.RunAsync(portal, database, megabytes: 100));
}

if (only.Contains("checks"))
{
    rows.AddRange(await ChecksScenario.RunAsync(100));
}

if (only.Contains("letter"))
{
    rows.Add(await LetterScenario.RunAsync(Argument("--letters", 500)));
}

Console.WriteLine();
Console.WriteLine($"| scenario | measure | measured | floor (same run) | target | met | portal peak RSS (MB) |");
Console.WriteLine($"|---|---|---|---|---|---|---|");
foreach (var row in rows)
{
    Console.WriteLine($"| {row.Scenario} | {row.Measure} | {row.Value} | {row.Floor} | {row.Target} | {(row.Met ? "yes" : "**NO**")} | {row.PeakMemory} |");
}

Console.WriteLine();
Console.WriteLine($"Total: {total.Elapsed.TotalMinutes:0.0} min.");
return rows.All(r => r.Met) ? 0 : 1;

int Argument(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}

static string RepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Derogation.sln")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run the bench from inside the repository.");
}
