using Derogation.Core.Data;

namespace Derogation.Tests.Architecture;

/// <summary>
/// Rules, data and letters do not depend on HTTP (docs/adr/0004). Core references the ASP.NET Core shared
/// framework only to obtain Identity's EF stores; this keeps it from using anything else of ASP.NET Core.
/// </summary>
public sealed class CoreBoundaryTests
{
    private static readonly string[] Allowed = ["Microsoft.AspNetCore.Identity.EntityFrameworkCore", "Microsoft.AspNetCore.Cryptography.KeyDerivation"];

    [Fact]
    public void Core_UsesNoHttpMvcOrHostingAssembly()
    {
        var used = typeof(DerogationDbContext).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        var forbidden = used.Where(name => name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) && !Allowed.Contains(name)).ToList();
        Assert.True(forbidden.Count == 0, $"Derogation.Core must not use: {string.Join(", ", forbidden)}");
        Assert.Contains("Microsoft.Extensions.Identity.Core", used);
    }
}
