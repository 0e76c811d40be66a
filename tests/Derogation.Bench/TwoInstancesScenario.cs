using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.LoadBalancing;

namespace Derogation.Bench;

/// <summary>
/// Saving wizard steps (the save row's 16 users) through the reverse proxy of the multi-instance test (YARP, round
/// robin) in front of two portal processes on the one database, beside one portal reached directly and one portal
/// behind the same proxy, measured one after the other in the same run. On a machine of two cores, where the load
/// generator, the proxy, PostgreSQL and the portals share the CPU, a second instance cannot add capacity: what the
/// row shows is what the proxy costs, not a speed-up.
/// </summary>
public static class TwoInstancesScenario
{
    public static async Task<Row> RunAsync(PortalProcess first, BenchDatabase database, string repositoryRoot, int requests)
    {
        await using var second = await PortalProcess.StartAsync(database.ConnectionString, repositoryRoot);

        // Both instances' CPU: the warm-up goes on until the CPU per saved step stops falling on the instances at work.
        Func<TimeSpan> portalsCpu = () => first.CpuTime() + second.CpuTime();
        var direct = await MeasureAsync(first.Address, requests, "one instance, direct", portalsCpu);
        Measurement oneBehindProxy;
        await using (var proxy = await StartProxyAsync([first.Address]))
        {
            oneBehindProxy = await MeasureAsync(new Uri(proxy.Urls.First()), requests, "one instance behind the proxy", portalsCpu);
        }

        Measurement twoBehindProxy;
        await using (var proxy = await StartProxyAsync([first.Address, second.Address]))
        {
            twoBehindProxy = await MeasureAsync(new Uri(proxy.Urls.First()), requests, "two instances behind the proxy", portalsCpu);
        }

        var proxyCost = 1 - (oneBehindProxy.Throughput / direct.Throughput);
        Console.WriteLine($"Two instances: {twoBehindProxy.Throughput / direct.Throughput:P0} of one instance reached directly; the proxy alone costs {proxyCost:P0} of the throughput.");
        return new Row(
            $"save a wizard step, {SaveStepScenario.Users} users, two instances behind the reverse proxy (YARP, round robin)",
            "req/s · p50/p95/p99 ms",
            Latency(twoBehindProxy),
            $"one instance direct: {Latency(direct)}; one instance behind the proxy: {Latency(oneBehindProxy)}",
            "reported (2 cores: the proxy's cost, not a speed-up)",
            Met: true);
    }

    private static string Latency(Measurement m) =>
        $"{Row.Format(m.Throughput)} · {Row.Format(m.P50)}/{Row.Format(m.P95)}/{Row.Format(m.P99)}";

    private static async Task<Measurement> MeasureAsync(Uri address, int requests, string name, Func<TimeSpan> portalsCpu)
    {
        var users = await SaveStepScenario.UsersAsync(address);
        try
        {
            return await SaveStepScenario.MeasureAsync(users, requests, name: name, portalCpu: portalsCpu);
        }
        finally
        {
            users.ForEach(u => u.Client.Dispose());
        }
    }

    /// <summary>The proxy as the multi-instance test configures it: every path to the cluster, round robin.</summary>
    private static async Task<WebApplication> StartProxyAsync(IReadOnlyList<Uri> instances)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddReverseProxy().LoadFromMemory(
            [new RouteConfig { RouteId = "portal", ClusterId = "portal", Match = new RouteMatch { Path = "{**rest}" } }],
            [new ClusterConfig
            {
                ClusterId = "portal",
                LoadBalancingPolicy = LoadBalancingPolicies.RoundRobin,
                Destinations = instances.Select((address, i) => (address, i))
                    .ToDictionary(d => $"instance-{d.i}", d => new DestinationConfig { Address = d.address.ToString() }),
            }]);
        var proxy = builder.Build();
        proxy.MapReverseProxy();
        await proxy.StartAsync();
        return proxy;
    }
}
