namespace Derogation.Tests.Infrastructure;

/// <summary>A clock the test sets: rules that depend on the date, expiry and reminders, without the real time.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    /// <summary>Mid-June of <paramref name="year"/>, noon UTC: for rules that depend on the year only.</summary>
    public FixedClock(int year)
        : this(new DateTimeOffset(year, 6, 15, 12, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow() => now;
}
