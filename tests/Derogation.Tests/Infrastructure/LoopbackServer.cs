using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Derogation.Tests.Infrastructure;

/// <summary>A small real HTTP server a test runs on a free loopback port (a timestamp authority, a webhook receiver).</summary>
public static class LoopbackServer
{
    /// <returns>The started server and the address of <paramref name="path"/> on it.</returns>
    public static async Task<(WebApplication Server, Uri Address)> StartAsync(string path, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = builder.Build();
        map(server);
        await server.StartAsync();
        var address = server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (server, new Uri(new Uri(address), path));
    }
}
