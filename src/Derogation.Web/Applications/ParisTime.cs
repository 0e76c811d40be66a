using System.Globalization;
using Derogation.Core;

namespace Derogation.Web.Applications;

/// <summary>Instants as people in France read them: converted to Paris time, in the page's language ("g").</summary>
public static class ParisTime
{
    public static string Format(DateTimeOffset instant) => FrenchTime.InParis(instant).ToString("g", CultureInfo.CurrentCulture);

    /// <summary>The day in Paris ("d"): an instant late in the evening UTC is already the next day in France.</summary>
    public static string Date(DateTimeOffset instant) => FrenchTime.InParis(instant).ToString("d", CultureInfo.CurrentCulture);
}
