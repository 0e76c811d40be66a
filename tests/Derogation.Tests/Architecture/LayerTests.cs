using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using NetArchTest.Rules;

namespace Derogation.Tests.Architecture;

/// <summary>
/// What the compiled code of Core depends on, type by type (read from its IL, so a method body counts as much as a
/// signature): nothing of the web, and letters that are drawn from plain data only.
/// </summary>
public sealed class LayerTests
{
    private static readonly System.Reflection.Assembly Core = typeof(DerogationDbContext).Assembly;

    /// <summary>Everything of ASP.NET Core except Identity's stores (docs/adr/0004), and the web project itself.</summary>
    public static readonly string[] Web =
    [
        "Microsoft.AspNetCore.Mvc", "Microsoft.AspNetCore.Http", "Microsoft.AspNetCore.Routing", "Microsoft.AspNetCore.Razor",
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Authentication",
        "Microsoft.AspNetCore.Authorization", "Microsoft.AspNetCore.Antiforgery", "Microsoft.AspNetCore.Localization",
        "Microsoft.AspNetCore.WebUtilities", "Microsoft.AspNetCore.Html", "Derogation.Web",
    ];

    private static string Failing(TestResult result) =>
        string.Join(", ", result.FailingTypes?.Select(t => t.FullName) ?? []);

    [Fact]
    public void Core_DependsOnNothingOfTheWeb()
    {
        var result = Types.InAssembly(Core).ShouldNot().HaveDependencyOnAny(Web).GetResult();
        Assert.True(result.IsSuccessful, $"Core types that use the web: {Failing(result)}");
    }

    [Fact]
    public void Letters_KnowNeitherTheDatabaseNorAnyStoredEntity()
    {
        using var db = new DerogationDbContext(DerogationDbContext.Options("Host=unused"));
        var entities = db.Model.GetEntityTypes().Where(e => !e.IsOwned() && e.ClrType.Namespace?.StartsWith("Derogation.", StringComparison.Ordinal) == true)
            .Select(e => e.ClrType.FullName!).Distinct().ToList();
        Assert.Contains(typeof(Derogation.Core.Applications.Application).FullName, entities);

        var result = Types.InAssembly(Core).That().ResideInNamespace("Derogation.Core.Letters")
            .ShouldNot().HaveDependencyOnAny([typeof(DerogationDbContext).FullName!, "Microsoft.EntityFrameworkCore", .. entities]).GetResult();
        Assert.True(result.IsSuccessful, $"Letter types that read the database or an entity: {Failing(result)}");
    }
}
