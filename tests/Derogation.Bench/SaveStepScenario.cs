using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Derogation.Bench;

/// <summary>
/// Saving a wizard step: 16 signed-in users, each posting the first step of their own draft again and again
/// (antiforgery, model binding, FluentValidation, the draft read and written with its row version, the audit-free
/// save, the redirect). The floor: a minimal endpoint started by the bench that does the same single-row UPDATE
/// with raw Npgsql and redirects.
/// </summary>
public static class SaveStepScenario
{
    public const int Users = 16;

    public static async Task<Row> RunAsync(PortalProcess portal, BenchDatabase database, int requests)
    {
        var users = await UsersAsync(portal.Address);
        var cpuBefore = TimeSpan.Zero;
        var measured = await MeasureAsync(users, requests, measuring: () => cpuBefore = portal.CpuTime(), portalCpu: portal.CpuTime);
        Console.WriteLine($"Portal CPU per saved step: {(portal.CpuTime() - cpuBefore).TotalMilliseconds / requests:0.00} ms.");

        var floor = await FloorAsync(database.ConnectionString, users.Select(u => u.Draft).ToList(), requests);
        users.ForEach(u => u.Client.Dispose());

        return Row.Share($"save a wizard step, {Users} users", measured, floor, minimumShare: 0.40, targetP95: 50);
    }

    /// <summary>The users, signed in at <paramref name="address"/> (a portal, or the proxy in front of several), each with a draft of their own.</summary>
    public static async Task<List<(HttpClient Client, Guid Draft, string Token)>> UsersAsync(Uri address)
    {
        var users = new List<(HttpClient Client, Guid Draft, string Token)>();
        for (var i = 0; i < Users; i++)
        {
            var client = await PortalClient.SignedInAsync(address, Drafts.Email, Drafts.Password);
            var (draft, token) = await Drafts.CreateAsync(client);
            users.Add((client, draft, token));
        }

        return users;
    }

    /// <summary>Each user saves the first step of their own draft again and again.</summary>
    public static Task<Measurement> MeasureAsync(List<(HttpClient Client, Guid Draft, string Token)> users, int requests, Action? measuring = null, string name = "save step", Func<TimeSpan>? portalCpu = null) =>
        Load.RunAsync(name, users.Count, requests, async (worker, _) =>
        {
            var (client, draft, token) = users[worker];
            await Drafts.SaveStepAsync(client, draft, "parties", Drafts.Parties, token);
        }, measuring: measuring, otherProcessCpu: portalCpu);

    /// <summary>A minimal endpoint in the bench's own process: one UPDATE of the draft's row, then a redirect.</summary>
    private static async Task<Measurement> FloorAsync(string connectionString, List<Guid> drafts, int requests)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
        await using var app = builder.Build();
        app.MapPost("/save/{id:guid}", async (Guid id, HttpRequest request, NpgsqlDataSource data) =>
        {
            var form = await request.ReadFormAsync();
            await using var command = data.CreateCommand(
                "UPDATE applications SET answers = jsonb_set(answers, '{parties,contactName}', to_jsonb(@name::text)), updated_at = now() WHERE id = @id");
            command.Parameters.AddWithValue("id", id);
            command.Parameters.AddWithValue("name", form["Input.ContactName"].ToString());
            await command.ExecuteNonQueryAsync();
            return Results.Redirect($"/demandes/{id}/dispositif");
        });
        await app.StartAsync();
        var address = new Uri(app.Urls.First());
        var clients = Enumerable.Range(0, Users).Select(_ => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = address }).ToList();
        try
        {
            return await Load.RunAsync("raw UPDATE endpoint", Users, requests, async (worker, _) =>
            {
                var response = await clients[worker].PostAsync($"/save/{drafts[worker]}", new FormUrlEncodedContent(Drafts.Parties));
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException("The floor endpoint failed.");
                }
            });
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            await app.StopAsync();
        }
    }
}
