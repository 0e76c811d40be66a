using Derogation.Core.Applications;

namespace Derogation.Tests.Core;

/// <summary>Working-day targets skip weekends and French public holidays.</summary>
public sealed class ReviewTargetTests
{
    [Theory]
    // Monday 13 July 2026, vital emergency: 14 July is a holiday, the target is Wednesday 15.
    [InlineData("2026-07-13", Urgency.VitalEmergency, "2026-07-15")]
    // Thursday 24 December 2026, urgent: 25 December (Friday) and the weekend out — 28, 29, 30 December.
    [InlineData("2026-12-24", Urgency.Urgent, "2026-12-30")]
    // Friday 2 April 2027 (Easter Sunday is 28 March 2027: Easter Monday 29 March is before) — plain weekdays: 5, 6, 7 April.
    [InlineData("2027-04-02", Urgency.Urgent, "2027-04-07")]
    // Friday 3 April 2026, vital emergency: Easter Monday 6 April 2026 is a holiday, the target is Tuesday 7.
    [InlineData("2026-04-03", Urgency.VitalEmergency, "2026-04-07")]
    // A planned case counts calendar days.
    [InlineData("2026-12-01", Urgency.Planned, "2026-12-31")]
    public void WorkingDayTargets_SkipWeekendsAndFrenchPublicHolidays(string submitted, Urgency urgency, string target)
    {
        Assert.Equal(DateOnly.Parse(target, System.Globalization.CultureInfo.InvariantCulture),
            new ReviewTargets().TargetFrom(DateOnly.Parse(submitted, System.Globalization.CultureInfo.InvariantCulture), urgency));
    }
}
