using System.Globalization;
using Derogation.Core;

namespace Derogation.Web.Applications;

/// <summary>Instants as people in France read them: converted to Paris time, in the page's language ("g").</summary>
public static class ParisTime
{
    public static string Format(DateTimeOffset instant) => FrenchTime.InParis(instant).ToString("g", CultureInfo.CurrentCulture);
}
