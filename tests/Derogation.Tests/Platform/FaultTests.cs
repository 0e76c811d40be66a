using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Derogation.Tests.Platform;

/// <summary>Malformed input gets a 400 page naming the field, never a 500; nothing of it is saved.</summary>
public sealed class FaultTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<Application> DraftAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    [Fact]
    public async Task ANulCharacterInAField_IsA400NamingTheField_AndNothingIsSaved()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(client);
        var device = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "dispositif").Fields)
        {
            ["Input.TradeName"] = "Geno\0Screen", ["action"] = "continuer",
        };

        var response = await client.SubmitAsync($"/demandes/{id}/dispositif", device);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Saisie non valide", page.Text("h1"));
        Assert.StartsWith("Le champ « Nom commercial » contient un caractère invisible", page.Text("#champ-refuse"), StringComparison.Ordinal);
        Assert.Equal("GenoScreen NGS Panel", (await DraftAsync(id)).Answers.Device.TradeName);
    }

    [Fact]
    public async Task AControlCharacterInAReturnAddress_IsA400_NotA500()
    {
        var response = await portal.CreateAnonymousClient().GetAsync("/langue/fr?retour=%2Fdemandes%09");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Saisie non valide", (await Html.ParseAsync(response)).Text("h1"));
    }

    [Fact]
    public async Task ADateNearTheEndOfTime_IsA400NamingTheField()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var started = await client.SubmitAsync("/demandes/globale/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in GlobalWizardFill.Steps(3).TakeWhile(s => s.Slug != "perimetre"))
        {
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        var scope = new Dictionary<string, string>(GlobalWizardFill.Steps(3).Single(s => s.Slug == "perimetre").Fields)
        {
            ["Input.ValidUntil"] = "9999-12-31", ["action"] = "plus-tard",
        };

        var response = await client.SubmitAsync($"/demandes/{id}/perimetre", scope);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.StartsWith("Le champ « Fin de validité »", (await Html.ParseAsync(response)).Text("#champ-refuse"), StringComparison.Ordinal);
    }
}

/// <summary>
/// Its own portal and database: while PostgreSQL does not accept connections, pages answer 503 "service momentanément
/// indisponible" with Retry-After; once it does again, the portal works without a restart.
/// </summary>
public sealed class DatabaseOutageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task SetConnectionsAsync(bool allowed)
    {
        var database = new NpgsqlConnectionStringBuilder(portal.ConnectionString).Database!;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(portal.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await admin.OpenAsync();
        await using (var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", admin))
        {
            await alter.ExecuteNonQueryAsync();
        }

        if (!allowed)
        {
            // Those already open (the portal's pool) are cut too: as when the server stops.
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @database AND pid <> pg_backend_pid()", admin);
            terminate.Parameters.AddWithValue("database", database);
            await terminate.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task WhileTheDatabaseIsDown_Pages503WithRetryAfter_ThenThePortalRecoversByItself()
    {
        var client = portal.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/derogations-globales")).StatusCode);

        await SetConnectionsAsync(allowed: false);
        try
        {
            var down = await client.GetAsync("/derogations-globales");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(30), down.Headers.RetryAfter?.Delta);
            var page = await Html.ParseAsync(down);
            Assert.Equal("Service momentanément indisponible", page.Text("h1"));
        }
        finally
        {
            await SetConnectionsAsync(allowed: true);
        }

        // No restart: the next requests work again (a connection cut while idle may fail once more).
        var status = HttpStatusCode.ServiceUnavailable;
        for (var attempt = 0; attempt < 5 && status != HttpStatusCode.OK; attempt++)
        {
            status = (await client.GetAsync("/derogations-globales")).StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, status);
    }
}
