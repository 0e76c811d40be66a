using Derogation.Core.Navigation;
using Derogation.Web.Navigation;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Infrastructure;

/// <summary>The portal's own link generator, at a public address a test chooses (for services a test builds itself, outside any request).</summary>
public static class TestLinks
{
    public const string PublicAddress = "https://derogations.test";

    public static IPortalLinks At(IServiceProvider services) =>
        new PortalLinks(services.GetRequiredService<LinkGenerator>(), PortalAddress.Of(PublicAddress));
}
