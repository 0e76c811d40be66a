using System.Collections.Concurrent;
using System.Diagnostics;

namespace Derogation.Core.Accounts;

/// <summary>
/// Remembers, per instance and for <c>Api:TokenMemorySeconds</c> (default 2 s, as a session's account check is), who a
/// presented API token stands for, so that each API request does not ask the database again (docs/performance.md).
/// Any change saved through this instance to a token, an account, its roles or an organisation forgets everything at
/// once, so a token revoked or a member removed here stops working on the next request; a change made on another
/// instance takes effect within the delay. Keyed by the token's hash, never the secret; only valid callers are
/// remembered, and never past the token's expiry. 0 asks the database on every request.
/// </summary>
public sealed class ApiCallerMemory(TimeSpan remember)
{
    /// <summary>Past this many tokens remembered, the memory starts again (a bound, not an eviction policy).</summary>
    public const int MaxTokens = 10_000;

    private readonly ConcurrentDictionary<string, (ApiCaller Caller, DateTimeOffset ExpiresAt, long Changes, long ReadAt)> _callers = new(StringComparer.Ordinal);

    /// <summary>Read before the database is asked: a change saved meanwhile makes the answer too old to remember.</summary>
    public static long Changes(string? database) => Data.ChangeCounters.Read(Data.ChangeCounters.ApiCallers, database);

    public ApiCaller? Recall(string tokenHash, DateTimeOffset now, string? database) =>
        remember > TimeSpan.Zero && _callers.TryGetValue(tokenHash, out var known) && known.Changes == Changes(database)
        && Stopwatch.GetElapsedTime(known.ReadAt) < remember && known.ExpiresAt > now
            ? known.Caller
            : null;

    public void Remember(string tokenHash, ApiCaller caller, DateTimeOffset expiresAt, long changes)
    {
        if (remember <= TimeSpan.Zero)
        {
            return;
        }

        if (_callers.Count >= MaxTokens)
        {
            _callers.Clear();
        }

        _callers[tokenHash] = (caller, expiresAt, changes, Stopwatch.GetTimestamp());
    }
}
