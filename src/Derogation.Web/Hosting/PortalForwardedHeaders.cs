using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace Derogation.Web.Hosting;

/// <summary>
/// Behind a TLS-terminating reverse proxy the portal sees the proxy's address and plain HTTP. The proxy's
/// X-Forwarded-For and X-Forwarded-Proto are believed only from the proxies configured in
/// <c>Proxy:KnownProxies</c> (addresses) and <c>Proxy:KnownNetworks</c> (CIDR), besides loopback: then the sign-in
/// cookie is <c>Secure</c>, HSTS and HTTPS redirection apply, and rate limits count each client, not the proxy.
/// </summary>
internal static class PortalForwardedHeaders
{
    public static void AddPortalForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // One proxy in front of the portal: the last address it appends is the client's.
            options.ForwardLimit = 1;
            foreach (var proxy in configuration.GetSection("Proxy:KnownProxies").Get<string[]>() ?? [])
            {
                options.KnownProxies.Add(IPAddress.Parse(proxy));
            }

            foreach (var network in configuration.GetSection("Proxy:KnownNetworks").Get<string[]>() ?? [])
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }
}
