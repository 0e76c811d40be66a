using System.Net;
using System.Text.RegularExpressions;

namespace Derogation.Bench;

/// <summary>An HTTP client signed in to the portal through its own sign-in form, as a browser would.</summary>
public static partial class PortalClient
{
    public static async Task<HttpClient> SignedInAsync(Uri address, string email, string password)
    {
        var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var form = await client.GetStringAsync("/compte/connexion");
        var response = await client.PostAsync("/compte/connexion", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
            ["__RequestVerificationToken"] = Token(form),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString.Contains("connexion", StringComparison.Ordinal) == true)
        {
            throw new InvalidOperationException($"Sign-in as a demo account failed ({(int)response.StatusCode}).");
        }

        return client;
    }

    /// <summary>The antiforgery token of the first form on the page.</summary>
    public static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
