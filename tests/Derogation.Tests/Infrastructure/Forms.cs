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
