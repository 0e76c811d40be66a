using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Platform;

/// <summary>
/// Behind the TLS-terminating proxy (a known proxy: loopback here, Proxy:KnownProxies / Proxy:KnownNetworks in
/// production), the scheme the proxy forwards is the request's: the sign-in cookie is Secure.
/// </summary>
public sealed class ProxyTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<HttpResponseMessage> SignInAsync(string? forwardedProto)
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = portal.CreateAnonymousClient();
        if (forwardedProto is not null)
        {
            client.DefaultRequestHeaders.Add("X-Forwarded-Proto", forwardedProto);
        }

        return await client.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = user.Email, ["Input.Password"] = user.Password });
    }

    private static string AuthenticationCookie(HttpResponseMessage response) =>
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("derogation.auth=", StringComparison.Ordinal));

    [Fact]
    public async Task HttpsForwardedByAKnownProxy_GivesASecureSessionCookie()
    {
        var response = await SignInAsync("https");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("secure", AuthenticationCookie(response).ToLowerInvariant().Split("; "));
    }

    [Fact]
    public async Task WithoutTheProxysHttps_TheCookieIsNotMarkedSecure()
    {
        var response = await SignInAsync(null);
        Assert.DoesNotContain("secure", AuthenticationCookie(response).ToLowerInvariant().Split("; "));
    }
}
