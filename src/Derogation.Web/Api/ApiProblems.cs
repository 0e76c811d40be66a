using System.Globalization;
using System.Text.RegularExpressions;
using FluentValidation.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Api;

/// <summary>RFC 9457 problem details for the API, worded in the request's language (Accept-Language: en, else French).</summary>
public static partial class ApiProblems
{
    public const string TypeBase = "https://derogations.ansm.sante.fr/api/problemes/";

    public static Task WriteAsync(HttpContext context, int status, string key)
    {
        var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        using var _ = ApiLanguage.Apply(context);
        return TypedResults.Problem(statusCode: status, title: l[key].Value, type: TypeBase + Slug(key)).ExecuteAsync(context);
    }

    public static ProblemHttpResult Problem(IStringLocalizer l, int status, string key, params object[] arguments) =>
        TypedResults.Problem(statusCode: status, title: l[key, arguments].Value, type: TypeBase + Slug(key));

    public static ProblemHttpResult NotFound(IStringLocalizer l) =>
        TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: l["ApiNotFound"].Value, type: TypeBase + "introuvable");

    /// <summary>422 with the failing fields named as in the JSON the client sent (camelCase paths: "referenceList[0].code").</summary>
    public static ProblemHttpResult Invalid(IStringLocalizer l, IEnumerable<ValidationFailure> failures, string? prefix = null) =>
        Invalid(failures.GroupBy(f => Field(prefix, f.PropertyName)).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray()), l["ApiInvalid"].Value, "donnees-invalides");

    public static ProblemHttpResult Invalid(IStringLocalizer l, string field, string message) =>
        Invalid(new Dictionary<string, string[]> { [field] = [message] }, l["ApiInvalid"].Value, "donnees-invalides");

    /// <summary>422 Unprocessable Content: the request was read, its content breaks a rule; "errors" names each field.</summary>
    public static ProblemHttpResult Invalid(IDictionary<string, string[]> errors, string title, string slug) =>
        TypedResults.Problem(new HttpValidationProblemDetails(errors) { Status = StatusCodes.Status422UnprocessableEntity, Title = title, Type = TypeBase + slug });

    public static string Field(string? prefix, string propertyName)
    {
        var path = string.Join('.', propertyName.Split('.').Where(p => p.Length > 0).Select(Camel));
        return prefix is null ? path : path.Length == 0 ? prefix : $"{prefix}.{path}";
    }

    private static string Camel(string segment) => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..];

    private static string Slug(string key) => KebabCase().Replace(key.StartsWith("Api", StringComparison.Ordinal) ? key[3..] : key, "$1-$2").ToLowerInvariant();

    [GeneratedRegex("([a-z])([A-Z])")]
    private static partial Regex KebabCase();
}

/// <summary>The API answers in French unless the client asks for English (Accept-Language: en…); the pages use their cookie.</summary>
public static class ApiLanguage
{
    public static IDisposable Apply(HttpContext context)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        var english = context.Request.GetTypedHeaders().AcceptLanguage
            .OrderByDescending(l => l.Quality ?? 1).FirstOrDefault()?.Value.Value?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var chosen = Localization.PortalCultures.ForLanguage(english ? Localization.PortalCultures.English : Localization.PortalCultures.French);
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = chosen;
        return new Restore(culture, uiCulture);
    }

    private sealed class Restore(CultureInfo culture, CultureInfo uiCulture) : IDisposable
    {
        public void Dispose() => (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture);
    }
}
