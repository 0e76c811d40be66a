using AngleSharp.Dom;

namespace Derogation.Tests.Infrastructure;

/// <summary>Submitting a page's form as a browser would: its fields, its antiforgery token, plus what the test types.</summary>
public static class Forms
{
    public static async Task<HttpResponseMessage> SubmitAsync(this HttpClient client, string pagePath, IDictionary<string, string> values, string formSelector = "main form[method=post]")
    {
        var page = await Html.ParseAsync(await client.GetAsync(pagePath));
        return await client.SubmitAsync(page, pagePath, values, formSelector);
    }

    /// <summary>
    /// Posts fields that may repeat (checkbox lists) with the antiforgery token of the form on <paramref name="tokenPage"/>
    /// (by default the page posted to).
    /// </summary>
    public static async Task<HttpResponseMessage> SubmitPairsAsync(this HttpClient client, string postPath, IEnumerable<KeyValuePair<string, string>> values, string? tokenPage = null)
    {
        var page = await Html.ParseAsync(await client.GetAsync(tokenPage ?? postPath));
        var form = page.QuerySelector("main form[method=post]") ?? throw new Xunit.Sdk.XunitException($"No form on {tokenPage ?? postPath}.");
        var fields = form.QuerySelectorAll("input[type=hidden][name=__RequestVerificationToken]")
            .Select(input => new KeyValuePair<string, string>(input.GetAttribute("name")!, input.GetAttribute("value") ?? ""))
            .Concat(values).ToList();
        return await client.PostAsync(postPath, new FormUrlEncodedContent(fields));
    }

    public static Task<HttpResponseMessage> SubmitAsync(this HttpClient client, IDocument page, string pagePath, IDictionary<string, string> values, string formSelector = "main form[method=post]")
    {
        var form = page.QuerySelector(formSelector) ?? throw new Xunit.Sdk.XunitException($"No form '{formSelector}' on {pagePath}.");
        var fields = new Dictionary<string, string>();
        foreach (var input in form.QuerySelectorAll("input[type=hidden]"))
        {
            fields[input.GetAttribute("name")!] = input.GetAttribute("value") ?? "";
        }

        foreach (var (name, value) in values)
        {
            fields[name] = value;
        }

        var action = form.GetAttribute("action");
        return client.PostAsync(string.IsNullOrEmpty(action) ? pagePath : action, new FormUrlEncodedContent(fields));
    }
}
