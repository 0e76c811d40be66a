using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Derogation.Tests.Architecture;

/// <summary>
/// Core owns the words its rules and receipt use (Resources/CoreText), in French and English; the web project's
/// strings fall back to them and never repeat one. A key missing here would show a user its raw name.
/// </summary>
public sealed class CoreTextTests
{
    private static readonly string Root = RepositoryRoot();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Derogation.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Derogation.sln not found.");
    }

    private static Dictionary<string, string> Entries(string relativePath) =>
        XDocument.Load(Path.Combine(Root, relativePath)).Root!.Elements("data")
            .ToDictionary(d => d.Attribute("name")!.Value, d => d.Element("value")?.Value ?? "");

    [Fact]
    public void CoreText_HasEveryKeyInFrenchAndEnglish()
    {
        var french = Entries("src/Derogation.Core/Resources/CoreText.resx");
        var english = Entries("src/Derogation.Core/Resources/CoreText.en.resx");

        Assert.True(french.Count > 100, "Core's strings are in Core.");
        Assert.Equal(french.Keys.Order(), english.Keys.Order());
        Assert.DoesNotContain(french, e => string.IsNullOrWhiteSpace(e.Value));
        Assert.DoesNotContain(english, e => string.IsNullOrWhiteSpace(e.Value));
    }

    [Fact]
    public void EveryKeyCoreNames_IsInCoreText_AndTheWebDoesNotRepeatIt()
    {
        var core = Entries("src/Derogation.Core/Resources/CoreText.resx");
        var source = string.Join("\n", Directory.GetFiles(Path.Combine(Root, "src/Derogation.Core"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(File.ReadAllText));
        var named = Regex.Matches(source, @"\b[lL]\[""([A-Za-z0-9_]+)""\s*[\],]").Select(m => m.Groups[1].Value)
            .Concat(Regex.Matches(source, @"""(Field[A-Za-z0-9]+)""").Select(m => m.Groups[1].Value))
            .Concat(Regex.Matches(source, @"CoreText\.French\(""([A-Za-z0-9_]+)""\s*[,)]").Select(m => m.Groups[1].Value))
            .Distinct().ToList();

        Assert.NotEmpty(named);
        Assert.All(named, key => Assert.True(core.ContainsKey(key), $"Core names '{key}', which Resources/CoreText lacks."));
        foreach (var web in new[] { "src/Derogation.Web/Resources/SharedResource.resx", "src/Derogation.Web/Resources/SharedResource.en.resx" })
        {
            Assert.Empty(Entries(web).Keys.Intersect(core.Keys));
        }
    }
}
