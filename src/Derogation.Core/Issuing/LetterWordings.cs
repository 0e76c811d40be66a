using System.Text.RegularExpressions;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Issuing;

/// <summary>
/// One version of a letter's standard paragraphs, as an ANSM administrator wrote it. Versions are only ever added:
/// a letter records the version it was drawn with, and an issued letter is stored as issued — a later change never
/// alters it.
/// </summary>
public sealed class LetterWording
{
    public required string Key { get; set; }
    public int Version { get; set; }
    public required string Text { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
}

internal sealed class LetterWordingConfiguration : IEntityTypeConfiguration<LetterWording>
{
    public void Configure(EntityTypeBuilder<LetterWording> builder)
    {
        builder.ToTable("letter_wordings");
        builder.HasKey(w => new { w.Key, w.Version });
        builder.Property(w => w.Key).HasMaxLength(40);
        builder.Property(w => w.Text).HasMaxLength(LetterWordings.MaxLength);
    }
}

public enum WordingError
{
    None,
    UnknownKey,
    Required,
    TooLong,
    /// <summary>A {placeholder} the letters do not fill.</summary>
    UnknownPlaceholder,
}

/// <summary>A wording as it stands: its text and version (0: the portal's own, never edited).</summary>
public sealed record CurrentWording(string Key, int Version, string Text, DateTimeOffset? ChangedAt);

/// <summary>
/// The standard paragraphs ANSM adjusts without a release (<c>/admin/modeles</c>): each outcome's text, versioned.
/// Placeholders are checked on save: only those the letters fill are accepted.
/// </summary>
public sealed partial class LetterWordings(DerogationDbContext db, TimeProvider clock)
{
    public const int MaxLength = 8000;

    /// <summary>The wordings ANSM may edit, with the portal's own text as version 0.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>
    {
        [nameof(StandardParagraphs.GrantIndividual)] = StandardParagraphs.GrantIndividual,
        [nameof(StandardParagraphs.GrantGlobal)] = StandardParagraphs.GrantGlobal,
        [nameof(StandardParagraphs.Refusal)] = StandardParagraphs.Refusal,
        [nameof(StandardParagraphs.Closure)] = StandardParagraphs.Closure,
    };

    public static readonly IReadOnlyList<string> Placeholders = ["{vigilance}"];

    public async Task<IReadOnlyList<CurrentWording>> CurrentAsync()
    {
        var latest = await db.LetterWordings.AsNoTracking()
            .GroupBy(w => w.Key).Select(g => g.OrderByDescending(w => w.Version).First()).ToListAsync();
        return Defaults.Select(d => latest.SingleOrDefault(w => w.Key == d.Key) is { } saved
            ? new CurrentWording(d.Key, saved.Version, saved.Text, saved.CreatedAt)
            : new CurrentWording(d.Key, 0, d.Value.Trim(), null)).ToList();
    }

    /// <summary>The wording a letter is drawn with now, and its version label ("GrantGlobal v3") recorded on the letter.</summary>
    public async Task<(LetterWordingSet Set, string Label)> ForLettersAsync()
    {
        var current = (await CurrentAsync()).ToDictionary(w => w.Key);
        var set = new LetterWordingSet(current["GrantIndividual"].Text, current["GrantGlobal"].Text, current["Refusal"].Text, current["Closure"].Text);
        return (set, string.Join(", ", current.Values.Select(w => $"{w.Key} v{w.Version}")));
    }

    public static WordingError Check(string key, string? text, out string? unknownPlaceholder)
    {
        unknownPlaceholder = null;
        if (!Defaults.ContainsKey(key))
        {
            return WordingError.UnknownKey;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return WordingError.Required;
        }

        if (text.Length > MaxLength)
        {
            return WordingError.TooLong;
        }

        unknownPlaceholder = PlaceholderPattern().Matches(text).Select(m => m.Value).FirstOrDefault(p => !Placeholders.Contains(p));
        return unknownPlaceholder is null ? WordingError.None : WordingError.UnknownPlaceholder;
    }

    /// <summary>Saves <paramref name="text"/> as the next version of <paramref name="key"/>, with its audit event.</summary>
    public async Task<(WordingError Error, string? UnknownPlaceholder)> SaveAsync(string key, string? text, Guid administratorId)
    {
        var error = Check(key, text, out var unknown);
        if (error != WordingError.None)
        {
            return (error, unknown);
        }

        var next = (await db.LetterWordings.Where(w => w.Key == key).MaxAsync(w => (int?)w.Version) ?? 0) + 1;
        db.LetterWordings.Add(new LetterWording { Key = key, Version = next, Text = text!.Trim().ReplaceLineEndings("\n"), CreatedAt = clock.GetUtcNow(), CreatedByUserId = administratorId });
        db.Record(clock, AuditActions.LetterWordingChanged, administratorId, nameof(LetterWording), key, $"version {next}");
        await db.SaveChangesAsync();
        return (WordingError.None, null);
    }

    [GeneratedRegex(@"\{[^{}\s]*\}")]
    private static partial Regex PlaceholderPattern();
}
