using System.Collections.Concurrent;
using System.Text.Json;

namespace Derogation.Core.Applications;

/// <summary>
/// The drafts this instance of the portal last read or wrote, each exactly as stored at one row version
/// (PostgreSQL's xmin, which changes with every write of the row, whoever makes it). Saving a wizard step can then
/// be one statement instead of a read and a write (<see cref="ApplicationDrafts.SaveRecalledAsync"/>, docs/performance.md).
/// Never trusted on its own: that statement carries every condition the full path checks, and writes only when the
/// row is still at the remembered version — otherwise the step takes the full path. Kept in memory only, for at
/// most <see cref="MaxDrafts"/> drafts (the least recently used go first) and <see cref="Lifetime"/> each.
/// </summary>
public sealed class RememberedDrafts(TimeProvider clock)
{
    public const int MaxDrafts = 2_000;

    /// <summary>A draft not touched for this long is forgotten: a user back after lunch reads it again.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    // The answers as JSON text: every recall deserialises its own copy, which the step may then change freely.
    private sealed record Entry(Guid FilingOrganisationId, Guid? ManufacturerId, ApplicationKind Kind, uint RowVersion, string Answers, DateTimeOffset LastUsed);

    private readonly ConcurrentDictionary<Guid, Entry> _drafts = new();

    /// <summary>Remembers a draft as it is stored now (just read, or just written with its new row version).</summary>
    public void Remember(Application draft) => Remember(draft, draft.Status == ApplicationStatus.Draft ? JsonSerializer.Serialize(draft.Answers, AnswersJson.Options) : "");

    /// <summary>
    /// The same, with the draft's answers given as the JSON text stored (<paramref name="draft"/>'s own answers are not
    /// read): the one-statement save has just written that text, or read it back, and need not make it again.
    /// </summary>
    public void Remember(Application draft, string answers)
    {
        if (draft.Status != ApplicationStatus.Draft)
        {
            _drafts.TryRemove(draft.Id, out _);
            return;
        }

        _drafts[draft.Id] = new Entry(draft.FilingOrganisationId, draft.ManufacturerId, draft.Kind, draft.RowVersion, answers, clock.GetUtcNow());
        if (_drafts.Count > MaxDrafts)
        {
            ForgetOldest();
        }
    }

    /// <summary>
    /// The draft as last remembered, untracked, when the viewer's organisation filed it; null otherwise (then the
    /// caller reads it from the database, with every check).
    /// </summary>
    public Application? Recall(Guid id, Viewer viewer)
    {
        if (!_drafts.TryGetValue(id, out var entry) || entry.FilingOrganisationId != viewer.OrganisationId)
        {
            return null;
        }

        var now = clock.GetUtcNow();
        if (now - entry.LastUsed > Lifetime)
        {
            _drafts.TryRemove(KeyValuePair.Create(id, entry));
            return null;
        }

        _drafts.TryUpdate(id, entry with { LastUsed = now }, entry);
        return new Application
        {
            Id = id, Kind = entry.Kind, Status = ApplicationStatus.Draft, FilingOrganisationId = entry.FilingOrganisationId,
            ManufacturerId = entry.ManufacturerId, RowVersion = entry.RowVersion,
            Answers = JsonSerializer.Deserialize<ApplicationAnswers>(entry.Answers, AnswersJson.Options)!,
        };
    }

    public void Forget(Guid id) => _drafts.TryRemove(id, out _);

    private void ForgetOldest()
    {
        // A tenth at a time, so that a full memory is not sorted on every save.
        foreach (var old in _drafts.OrderBy(d => d.Value.LastUsed).Take(MaxDrafts / 10).ToList())
        {
            _drafts.TryRemove(old);
        }
    }
}
