using System.Net;
using Derogation.Tests.Infrastructure;
using Npgsql;

namespace Derogation.Tests.Platform;

public sealed class HealthTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Liveness_AnswersWithoutSignIn()
    {
        var response = await portal.CreateAnonymousClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Readiness_WhenDatabaseReachableAndSchemaCurrent_IsHealthy()
    {
        var response = await portal.CreateAnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}

/// <summary>Its own database: the test removes a migration record to make the schema look out of date.</summary>
public sealed class ReadinessWithPendingMigrationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Readiness_WhenAMigrationIsNotApplied_IsUnavailable()
    {
        var client = portal.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var forget = new NpgsqlCommand("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)", connection);
            await forget.ExecuteNonQueryAsync();
        }

        var response = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy\ndatabase: 1 schema migration(s) not applied.", await response.Content.ReadAsStringAsync());
    }
}
