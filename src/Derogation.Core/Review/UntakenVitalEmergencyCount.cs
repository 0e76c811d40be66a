using System.Diagnostics;

namespace Derogation.Core.Review;

/// <summary>
/// The count of untaken vital emergencies that every ANSM page shows, remembered for
/// <see cref="ReviewAlertOptions.BannerCountSeconds"/> per instance. The count was a round trip to PostgreSQL on every
/// ANSM page — the largest cost of a page beyond its own query (docs/performance.md). A change saved through this
/// instance (a submission, a take, a withdrawal: any save of an application's status, reviewer or urgency) forgets it
/// at once, so a reviewer never sees their own action late; a change made on another instance shows within the delay.
/// 0 reads the database on every page.
/// </summary>
public sealed class UntakenVitalEmergencyCount(ReviewAlertOptions options)
{
    private readonly Lock _gate = new();
    private (int Count, long Changes, long ReadAt)? _remembered;

    /// <param name="database">The connection string of the database counted in (see <see cref="Data.ChangeCounters"/>).</param>
    public async Task<int> ReadAsync(string? database, Func<Task<int>> read)
    {
        var remember = TimeSpan.FromSeconds(Math.Max(0, options.BannerCountSeconds));
        // Read before the query: a change saved while it runs makes what it returns too old to keep.
        var changes = Data.ChangeCounters.Read(Data.ChangeCounters.VitalEmergencies, database);
        lock (_gate)
        {
            if (_remembered is { } last && last.Changes == changes && Stopwatch.GetElapsedTime(last.ReadAt) < remember)
            {
                return last.Count;
            }
        }

        var count = await read();
        if (remember > TimeSpan.Zero)
        {
            lock (_gate)
            {
                _remembered = (count, changes, Stopwatch.GetTimestamp());
            }
        }

        return count;
    }
}
