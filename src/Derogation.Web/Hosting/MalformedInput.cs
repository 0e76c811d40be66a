using System.Text.RegularExpressions;

namespace Derogation.Web.Hosting;

/// <summary>
/// Input no form of the portal can produce — a control character (NUL and the like) in a query string or a form
/// field, a date outside 1900–2200 — is answered with a 400 page that names the field, before anything tries to store
/// it (PostgreSQL refuses NUL in text; far dates overflow date arithmetic): never a 500. Line breaks and tabs stay
/// allowed in form fields (text areas). Multipart uploads are not read here: their files stream to the store.
/// </summary>
internal sealed partial class MalformedInput(RequestDelegate next)
{
    /// <summary>Set on the request for the 400 page: the name of the field that was refused.</summary>
    public const string FieldItem = "malformed-field";

    /// <summary>Forms larger than this are left to ASP.NET Core's own limits (its form reader refuses them).</summary>
    private const long LargestCheckedForm = 4 * 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        // The error page a refused request is re-executed to is not checked again.
        if (context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is not null
            || context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null)
        {
            await next(context);
            return;
        }

        var field = Refused(context.Request.Query, allowLayout: false);
        if (field is null && context.Request.ContentType?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true
            && context.Request.ContentLength is null or <= LargestCheckedForm)
        {
            // Read as text, not with the form reader: it throws on a NUL without saying which field held it.
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            field = Refused(FormPairs(body), allowLayout: true);
        }

        if (field is not null)
        {
            context.Items[FieldItem] = field;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        await next(context);
    }

    private static IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> FormPairs(string body) =>
        body.Split('&', StringSplitOptions.RemoveEmptyEntries).Select(pair =>
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            string Decode(string part) => Uri.UnescapeDataString(part.Replace('+', ' '));
            return equals < 0
                ? new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>(Decode(pair), "")
                : new KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>(Decode(pair[..equals]), Decode(pair[(equals + 1)..]));
        });

    private static string? Refused(IEnumerable<KeyValuePair<string, Microsoft.Extensions.Primitives.StringValues>> values, bool allowLayout)
    {
        foreach (var (key, value) in values)
        {
            if (HasControl(key, allowLayout: false))
            {
                return "?";
            }

            foreach (var text in value)
            {
                if (text is not null && (HasControl(text, allowLayout) || OutOfRangeDate(text)))
                {
                    return key;
                }
            }
        }

        return null;
    }

    private static bool HasControl(string text, bool allowLayout) =>
        text.Any(c => (char.IsControl(c) && !(allowLayout && c is '\t' or '\n' or '\r')) || c is '\uFFFE' or '\uFFFF');

    private static bool OutOfRangeDate(string text) =>
        IsoDate().Match(text.Trim()) is { Success: true } date && int.Parse(date.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) is < 1900 or > 2200;

    [GeneratedRegex(@"^(\d{4,})-\d{2}-\d{2}$")]
    private static partial Regex IsoDate();
}
