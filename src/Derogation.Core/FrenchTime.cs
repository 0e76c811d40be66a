namespace Derogation.Core;

/// <summary>Dates as ANSM counts them: in Paris time (a mandate valid "until 31 March" holds all that day in France).</summary>
public static class FrenchTime
{
    public static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    public static DateTimeOffset InParis(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Paris);

    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(InParis(clock.GetUtcNow()).DateTime);
}
