using System.Net;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Derogation.Tests.Platform;

public sealed class SecurityHeadersTests(SecurityHeadersTests.Factory portal) : IClassFixture<SecurityHeadersTests.Factory>
{
    /// <summary>The portal as deployed outside Development: TLS on port 443 in front of it.</summary>
    public sealed class Factory : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("https_port", "443");
        }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/page-inexistante")]
    [InlineData("/health/ready")]
    public async Task EveryResponse_CarriesTheSecurityBaseline(string path)
    {
        var response = await HttpsClient().GetAsync(path);

        Assert.Equal(
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
            "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
            response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("max-age=31536000; includeSubDomains", response.Headers.GetValues("Strict-Transport-Security").Single());
    }

    [Fact]
    public async Task PlainHttp_IsRedirectedToHttps()
    {
        var client = portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false,
            BaseAddress = new Uri("http://derogations.ansm.example/"),
        });
        var response = await client.GetAsync("/accessibilite");

        Assert.Equal(HttpStatusCode.TemporaryRedirect, response.StatusCode);
        Assert.Equal("https://derogations.ansm.example/accessibilite", response.Headers.Location!.ToString());
    }

    private HttpClient HttpsClient() => portal.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false,
        BaseAddress = new Uri("https://derogations.ansm.example/"),
    });
}
