using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Derogation.Tests.Api;

/// <summary>
/// Who a token stands for is remembered per instance (here for an hour, to see it without waiting): a revocation made
/// behind the instance's back takes effect only when the memory ends; one made through the instance, at once.
/// </summary>
public sealed class ApiCallerMemoryTests(ApiCallerMemoryTests.RememberingPortal portal) : IClassFixture<ApiCallerMemoryTests.RememberingPortal>
{
    public sealed class RememberingPortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:TokenMemorySeconds", "3600");
        }
    }

    [Fact]
    public async Task ARevocationThroughThisInstance_TakesEffectAtOnce_EvenWhenTheCallerIsRemembered()
    {
        var owner = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var first = portal.WithToken(await ApiClients.CreateTokenAsync(owner, "premier"));
        var second = portal.WithToken(await ApiClients.CreateTokenAsync(owner, "second"));
        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/applications")).StatusCode);

        // Revoked on another instance (here, behind this one's back): this one still knows the caller.
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var revoke = new NpgsqlCommand("UPDATE api_tokens SET revoked_at = now() WHERE name = 'premier'", connection);
            Assert.Equal(1, await revoke.ExecuteNonQueryAsync());
        }

        Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/applications")).StatusCode);

        // Revoked at /compte/jetons on this instance: 401 on the next request, and the other revocation is seen too.
        var tokens = await Html.ParseAsync(await owner.GetAsync("/compte/jetons"));
        var action = tokens.QuerySelectorAll("#jetons tbody tr").Single(r => r.TextContent.Contains("second", StringComparison.Ordinal)).QuerySelector("form")!.GetAttribute("action");
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SubmitAsync(tokens, "/compte/jetons", new Dictionary<string, string>(), $"form[action='{action}']")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await second.GetAsync("/api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await first.GetAsync("/api/v1/applications")).StatusCode);
    }
}
