using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Organisations;
using Npgsql;

namespace Derogation.Bench;

/// <summary>
/// The API's list endpoint (docs/api.md) as a manufacturer's own system calls it: the first page (100) of an
/// organisation holding 2,000 of the 100,000 applications, 16 clients each with the demo manufacturer's token; beside
/// it, the very SQL the endpoint sends (captured from EF Core) run directly with Npgsql.
/// </summary>
public static partial class ApiListScenario
{
    public const int Clients = 16;
    public const int OrganisationApplications = 2_000;

    public static async Task<Row> RunAsync(PortalProcess portal, BenchDatabase database, int requests)
    {
        var organisation = await GiveApplicationsToTheDemoManufacturerAsync(database.ConnectionString);
        var token = await CreateTokenAsync(portal.Address);
        var clients = Enumerable.Range(0, Clients).Select(_ =>
        {
            var client = new HttpClient { BaseAddress = portal.Address, Timeout = TimeSpan.FromMinutes(5) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }).ToList();

        var page = await Load.RunAsync("API list", Clients, requests, async (worker, _) =>
        {
            var json = await clients[worker].GetStringAsync("/api/v1/applications");
            if (!json.Contains($"\"total\":{OrganisationApplications}", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The API list does not show the organisation's applications.");
            }
        }, otherProcessCpu: portal.CpuTime);
        Console.WriteLine($"Portal CPU per API list request: {page.OtherProcessCpu.TotalMilliseconds / page.Count:0.0} ms.");
        var viewer = new Viewer(Guid.Empty, organisation, OrganisationKind.Manufacturer);
        var commands = await QueueScenario.CaptureAsync(database.ConnectionString, db => db.PageAsync(viewer, 1, 100));
        var floor = await Load.RunAsync("API list SQL", Clients, requests, async (_, _) => await QueueScenario.ExecuteAsync(database.ConnectionString, commands));
        Console.WriteLine();
        Console.WriteLine("Query plans of the API list (EXPLAIN ANALYZE):");
        Console.WriteLine(await QueueScenario.ExplainAsync(database.ConnectionString, commands));
        foreach (var client in clients)
        {
            client.Dispose();
        }

        return Row.Latency($"API list, first page of an organisation's {OrganisationApplications:N0} applications, {Clients} clients", page, floor, targetP95: 50);
    }

    /// <summary>Moves seeded applications to the demo manufacturer, filed by it (the other rows are not affected by who filed).</summary>
    private static async Task<Guid> GiveApplicationsToTheDemoManufacturerAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var organisation = new NpgsqlCommand("SELECT organisation_id FROM users WHERE normalized_email = 'FABRICANT@DEMO.TEST'", connection);
        var id = (Guid)(await organisation.ExecuteScalarAsync())!;
        await using var move = new NpgsqlCommand($"""
            UPDATE applications SET filing_organisation_id = $1, manufacturer_id = $1
            WHERE id IN (SELECT id FROM applications WHERE filing_organisation_id <> $1 AND reference IS NOT NULL ORDER BY id LIMIT {OrganisationApplications}
                         - (SELECT count(*) FROM applications WHERE filing_organisation_id = $1 OR manufacturer_id = $1))
            """, connection);
        move.Parameters.Add(new NpgsqlParameter { Value = id });
        await move.ExecuteNonQueryAsync();
        return id;
    }

    /// <summary>A read token created as the user does, at /compte/jetons.</summary>
    private static async Task<string> CreateTokenAsync(Uri address)
    {
        using var client = await PortalClient.SignedInAsync(address, Drafts.Email, Drafts.Password);
        var form = await client.GetStringAsync("/compte/jetons");
        await client.PostAsync("/compte/jetons", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Name"] = $"bench {Guid.NewGuid():N}"[..14], ["Input.Scope"] = "read", ["Input.ExpiresOn"] = DateTime.Today.AddDays(7).ToString("yyyy-MM-dd"),
            ["__RequestVerificationToken"] = PortalClient.Token(form),
        }));
        var page = await client.GetStringAsync("/compte/jetons");
        return Secret().Match(page) is { Success: true } match ? match.Groups[1].Value : throw new InvalidOperationException("No token shown after creating one.");
    }

    [GeneratedRegex("id=\"secret\">(dgt_[^<]+)<")]
    private static partial Regex Secret();
}
