using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Derogation.Web.Localization;

/// <summary>French first (the legal language of ANSM's acts), English available; the choice is kept in a cookie.</summary>
internal static class PortalCultures
{
    public const string French = "fr";
    public const string English = "en";

    public static readonly CultureInfo[] Supported = [new("fr-FR"), new("en-GB")];

    public static void AddPortalLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        // The pages' strings fall back to Core's (a closed registration wins over AddLocalization's open one).
        services.AddSingleton<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>, PortalStrings>();
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture("fr-FR");
            options.SupportedCultures = Supported;
            options.SupportedUICultures = Supported;
            // Only the visitor's explicit choice: the portal does not guess from the browser.
            options.RequestCultureProviders = [new CookieRequestCultureProvider()];
        });
    }

    public static string CurrentLanguage => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == English ? English : French;

    public static CultureInfo ForLanguage(string language) => language == English ? Supported[1] : Supported[0];

    /// <summary>GET /langue/{fr|en}?retour=/local/path — sets the cookie and returns to the page the visitor was on.</summary>
    public static void MapLanguageSwitch(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/langue/{language:regex(^(fr|en)$)}", (HttpContext context, string language, string? retour) =>
        {
            var culture = ForLanguage(language);
            context.Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
            // Only local paths: the switch must not become an open redirect.
            var target = retour is { Length: > 0 } && retour[0] == '/' && !retour.StartsWith("//", StringComparison.Ordinal) && !retour.StartsWith("/\\", StringComparison.Ordinal)
                ? retour
                : "/";
            return Results.LocalRedirect(target);
        });
    }
}
