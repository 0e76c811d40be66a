using System.Globalization;
using Derogation.Core;
using Microsoft.AspNetCore.Http;

namespace Derogation.Web.Applications;

/// <summary>
/// Instants as people in France read them: converted to Paris time, in the page's language ("g"). A page that shows
/// a time says once, at its foot, which zone it is in (<see cref="ShownOnThisPage"/>, read by the layout, which
/// renders after the page's body).
/// </summary>
public static class ParisTime
{
    private const string Marker = "ParisTime.Shown";

    // HttpContextAccessor keeps the current request in a static AsyncLocal: any instance reads it.
    private static readonly HttpContextAccessor Request = new();

    public static string Format(DateTimeOffset instant)
    {
        if (Request.HttpContext is { } context)
        {
            context.Items[Marker] = true;
        }

        return FrenchTime.InParis(instant).ToString("g", CultureInfo.CurrentCulture);
    }

    /// <summary>The day in Paris ("d"): an instant late in the evening UTC is already the next day in France.</summary>
    public static string Date(DateTimeOffset instant) => FrenchTime.InParis(instant).ToString("d", CultureInfo.CurrentCulture);

    /// <summary>Whether the page being rendered showed a time (then its foot names the zone).</summary>
    public static bool ShownOnThisPage(HttpContext context) => context.Items.ContainsKey(Marker);
}
