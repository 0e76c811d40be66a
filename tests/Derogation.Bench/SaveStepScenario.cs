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
        await using var floor = await RawUpdateEndpoint.StartAsync(database.ConnectionString);
        var floorClients = Enumerable.Range(0, Users).Select(_ => new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = floor.Address }).ToList();
        var (measured, floorMeasured) = await Load.AlternateAsync(
            new Load.Side("save step", (worker, _) => SaveAsync(users[worker]), portal.CpuTime),
            new Load.Side("raw UPDATE endpoint", async (worker, _) =>
            {
                var response = await floorClients[worker].PostAsync($"/save/{users[worker].Draft}", new FormUrlEncodedContent(Drafts.Parties));
                if (response.StatusCode != HttpStatusCode.Redirect)
                {
                    throw new InvalidOperationException("The floor endpoint failed.");
                }
            }),
            Users, requests);
        Console.WriteLine($"Portal CPU per saved step: {measured.OtherProcessCpu.TotalMilliseconds / measured.Count:0.00} ms.");
        floorClients.ForEach(c => c.Dispose());
        users.ForEach(u => u.Client.Dispose());

        return Row.Share($"save a wizard step, {Users} users", measured, floorMeasured, minimumShare: 0.40, targetP95: 50);
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
    public static Task<Measurement> MeasureAsync(List<(HttpClient Client, Guid Draft, string Token)> users, int requests, string name, Func<TimeSpan> portalCpu) =>
        Load.RunAsync(name, users.Count, requests, (worker, _) => SaveAsync(users[worker]), otherProcessCpu: portalCpu);

    private static Task SaveAsync((HttpClient Client, Guid Draft, string Token) user) =>
        Drafts.SaveStepAsync(user.Client, user.Draft, "parties", Drafts.Parties, user.Token);

    /// <summary>The floor: a minimal endpoint in the bench's own process, one UPDATE of the draft's row, then a redirect.</summary>
    private sealed class RawUpdateEndpoint(WebApplication app) : IAsyncDisposable
    {
        public Uri Address { get; } = new(app.Urls.First());

        public static async Task<RawUpdateEndpoint> StartAsync(string connectionString)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton(NpgsqlDataSource.Create(connectionString));
            var app = builder.Build();
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
            return new RawUpdateEndpoint(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
