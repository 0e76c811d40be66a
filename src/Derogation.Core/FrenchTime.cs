namespace Derogation.Core;

/// <summary>Dates as ANSM counts them: in Paris time (a mandate valid "until 31 March" holds all that day in France).</summary>
public static class FrenchTime
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTimeOffset InParis(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);

    /// <summary>Midnight in Paris on <paramref name="date"/>, as an instant.</summary>
    public static DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Paris.GetUtcOffset(local)).ToUniversalTime();
    }

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(InParis(clock.GetUtcNow()).DateTime);

    private static readonly System.Globalization.CultureInfo French = new("fr-FR");

    /// <summary>A date as a French act writes it: "1er décembre 2026", "2 décembre 2026".</summary>
    public static string Written(DateOnly date) =>
        (date.Day == 1 ? "1er" : date.Day.ToString(System.Globalization.CultureInfo.InvariantCulture)) + date.ToString(" MMMM yyyy", French);

    public static string Written(DateTimeOffset instant) => Written(DateOnly.FromDateTime(InParis(instant).DateTime));
}
