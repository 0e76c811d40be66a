using System.Collections.Concurrent;

namespace Derogation.Core.Data;

/// <summary>
/// A counter per database and per kind of change, moved by <see cref="DerogationDbContext"/> when it saves such a
/// change: what an instance remembers (the ANSM pages' count, the API's callers) is kept only while the counter it was
/// read under has not moved. Per database, not per process: several portals may share a process (the tests), each
/// with its own database, and one's saves must not make another forget — nor be needed to.
/// </summary>
public static class ChangeCounters
{
    public const string VitalEmergencies = "vital-emergencies";
    public const string ApiCallers = "api-callers";

    private static readonly ConcurrentDictionary<(string Kind, string Database), StrongBox> Counters = new();

    public static long Read(string kind, string? database) => Interlocked.Read(ref Counter(kind, database).Value);

    public static void Moved(string kind, string? database) => Interlocked.Increment(ref Counter(kind, database).Value);

    private static StrongBox Counter(string kind, string? database) => Counters.GetOrAdd((kind, database ?? ""), _ => new StrongBox());

    private sealed class StrongBox
    {
        public long Value;
    }
}
