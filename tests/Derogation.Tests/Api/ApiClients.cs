using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Api;

/// <summary>Personal access tokens and what a client does with them, through HTTP (docs/api.md).</summary>
public static class ApiClients
{
    /// <summary>Creates a token as the user does at /compte/jetons, and reads the secret shown once.</summary>
    public static async Task<string> CreateTokenAsync(HttpClient signedIn, string name = "SIR", bool write = true, string? expiresOn = null)
    {
        var created = await signedIn.SubmitAsync("/compte/jetons", new Dictionary<string, string>
        {
            ["Input.Name"] = name, ["Input.Scope"] = write ? "write" : "read", ["Input.ExpiresOn"] = expiresOn ?? DateTime.Today.AddDays(30).ToString("yyyy-MM-dd"),
        }, "#creer-jeton");
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var page = await Html.ParseAsync(await signedIn.GetAsync("/compte/jetons"));
        Assert.True(page.QuerySelector("#secret") is not null, page.QuerySelector("main")?.TextContent);
        var secret = page.Text("#secret");
        Assert.StartsWith("dgt_", secret, StringComparison.Ordinal);
        // Shown once: the next visit does not show it again.
        Assert.Null((await Html.ParseAsync(await signedIn.GetAsync("/compte/jetons"))).QuerySelector("#secret"));
        return secret;
    }

    public static HttpClient WithToken(this PortalFactory portal, string token, string? language = null)
    {
        var client = portal.CreateAnonymousClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null)
        {
            client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }

        return client;
    }

    /// <summary>The wizard's form fields ("Input.ReferenceList[0].Code" = "…") as the section's JSON ({"referenceList":[{"code":"…"}]}).</summary>
    public static JsonObject SectionJson(IReadOnlyDictionary<string, string> fields)
    {
        var root = new JsonObject();
        foreach (var (name, value) in fields)
        {
            JsonNode parent = root;
            var parts = name["Input.".Length..].Split('.');
            for (var i = 0; i < parts.Length; i++)
            {
                var match = Regex.Match(parts[i], @"^(\w+)(?:\[(\d+)\])?$");
                var key = char.ToLowerInvariant(match.Groups[1].Value[0]) + match.Groups[1].Value[1..];
                var last = i == parts.Length - 1;
                JsonNode Leaf() => value is "true" or "false" ? JsonValue.Create(value == "true") : JsonValue.Create(value);
                if (match.Groups[2].Success)
                {
                    var array = (JsonArray)(parent[key] ??= new JsonArray());
                    var index = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    while (array.Count <= index)
                    {
                        array.Add(new JsonObject());
                    }

                    if (last)
                    {
                        array[index] = Leaf();
                    }

                    parent = array[index]!;
                }
                else if (last)
                {
                    parent[key] = Leaf();
                }
                else
                {
                    parent = parent[key] ??= new JsonObject();
                }
            }
        }

        return root;
    }

    public static readonly Dictionary<string, string> SectionOfSlug = new()
    {
        ["parties"] = "parties", ["dispositif"] = "device", ["marquage-ce"] = "non-compliance", ["patient"] = "patient",
        ["professionnels"] = "health-professionals", ["securite-performances"] = "safety", ["declarations"] = "declarations",
        ["perimetre"] = "global-scope", ["derogations-anterieures"] = "earlier-derogations",
    };

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient api, Guid id, string type, byte[] pdf, bool anonymised = false)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(type), "type" },
            { new ByteArrayContent(pdf), "file", $"{type}.pdf" },
        };
        if (anonymised)
        {
            content.Add(new StringContent("true"), "anonymised");
        }

        return await api.PostAsync($"/api/v1/applications/{id}/documents", content);
    }
}
