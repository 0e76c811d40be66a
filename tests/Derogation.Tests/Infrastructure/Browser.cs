using System.Text.Json;
using Microsoft.Playwright;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// Debian's Chromium driven by Playwright for .NET. The browser is never downloaded: it is the machine's
/// /usr/bin/chromium (CHROMIUM_PATH overrides), started once per test collection.
/// </summary>
public sealed class Browser : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"Chromium not found at {executable}: apt-get install -y chromium (or set CHROMIUM_PATH).");
        }

        _playwright = await Playwright.CreateAsync();
        Chromium = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-quic",
            ],
        });
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        _playwright?.Dispose();
    }

    /// <summary>A fresh page (own cookies) that records Content-Security-Policy violations and script errors.</summary>
    public async Task<BrowserPage> NewPageAsync(Uri baseAddress)
    {
        var context = await Chromium.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseAddress.ToString(), Locale = "fr-FR" });
        var page = await context.NewPageAsync();
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                problems.Add(message.Text);
            }
        };
        page.PageError += (_, error) => problems.Add(error);
        return new BrowserPage(context, page, problems);
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<Browser>
{
    public const string Name = "Browser";
}

public sealed class BrowserPage(IBrowserContext context, IPage page, List<string> problems) : IAsyncDisposable
{
    private static readonly Lazy<string> AxeSource = new(() => File.ReadAllText(Path.Combine(RepositoryRoot.Path, "node_modules", "axe-core", "axe.min.js")));

    public IPage Page { get; } = page;

    /// <summary>Console errors and uncaught exceptions seen so far, including CSP violations.</summary>
    public IReadOnlyList<string> Problems => problems;

    /// <summary>
    /// Waits until the page's path ends with <paramref name="suffix"/>; on failure says where the page is and what it
    /// shows, so that a slow or refused navigation on a loaded CI machine can be told apart.
    /// </summary>
    public async Task WaitForPathAsync(string suffix, float timeoutMs = 60_000)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (true)
        {
            try
            {
                // Short waits, re-checked: a navigation that completed while the waiter was being attached could
                // otherwise leave it waiting for a DOMContentLoaded that has already happened.
                await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.EndsWith(suffix, StringComparison.Ordinal),
                    new() { Timeout = 5_000, WaitUntil = WaitUntilState.DOMContentLoaded });
                return;
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                if (await ArrivedAsync(suffix))
                {
                    return;
                }
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        var heading = await Page.Locator("h1").First.TextContentAsync(new() { Timeout = 1000 });
        var errors = await Page.Locator("#resume-erreurs").AllTextContentsAsync();
        throw new Xunit.Sdk.XunitException($"Expected a path ending with {suffix}; still at {Page.Url} showing \"{heading}\" {string.Join(" ", errors)}");
    }

    private async Task<bool> ArrivedAsync(string suffix)
    {
        try
        {
            return new Uri(Page.Url).AbsolutePath.EndsWith(suffix, StringComparison.Ordinal)
                   && await Page.EvaluateAsync<string>("document.readyState") != "loading";
        }
        catch (PlaywrightException)
        {
            return false; // navigating: the document went away while being asked
        }
    }

    /// <summary>Runs axe-core on the current page and returns its serious and critical violations, one line each.</summary>
    public async Task<IReadOnlyList<string>> SeriousAccessibilityViolationsAsync()
    {
        // Evaluated through the DevTools protocol, so the page's strict CSP does not have to allow it.
        await Page.EvaluateAsync(AxeSource.Value);
        var violations = await Page.EvaluateAsync<JsonElement>("""
            async () => {
                const results = await axe.run(document, { resultTypes: ['violations'] });
                return results.violations
                    .filter(v => v.impact === 'serious' || v.impact === 'critical')
                    .map(v => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.map(n => n.target.join(' ')).join(', ')}`);
            }
            """);
        return violations.EnumerateArray().Select(v => v.GetString()!).ToList();
    }

    public async ValueTask DisposeAsync() => await context.DisposeAsync();
}

public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Derogation.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Derogation.sln not found above the test binaries.");
    }
}
