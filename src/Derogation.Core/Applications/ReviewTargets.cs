namespace Derogation.Core.Applications;

/// <summary>
/// How long ANSM aims to take, by urgency (configuration section "ReviewTargets"): a vital emergency in 1 working
/// day, an urgent case in 3 working days, a planned one in 30 calendar days. Working days are Monday to Friday except
/// French public holidays (PublicHoliday: fixed days and those that follow Easter).
/// </summary>
public sealed class ReviewTargets
{
    public int VitalEmergencyWorkingDays { get; set; } = 1;
    public int UrgentWorkingDays { get; set; } = 3;
    public int PlannedCalendarDays { get; set; } = 30;

    public DateOnly TargetFrom(DateOnly start, Urgency urgency) => urgency switch
    {
        Urgency.VitalEmergency => AddWorkingDays(start, VitalEmergencyWorkingDays),
        Urgency.Urgent => AddWorkingDays(start, UrgentWorkingDays),
        _ => start.AddDays(PlannedCalendarDays),
    };

    private static readonly PublicHoliday.FrancePublicHoliday Holidays = new();

    /// <summary>Working days: Monday to Friday, French public holidays (14 July, Christmas, Easter Monday…) counted out.</summary>
    public static DateOnly AddWorkingDays(DateOnly start, int days)
    {
        var date = start;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                days--;
            }
        }

        return date;
    }

    public static bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.IsPublicHoliday(date.ToDateTime(TimeOnly.MinValue));
}
