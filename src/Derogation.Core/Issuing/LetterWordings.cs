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
    /// <summary>An e-mail without the placeholder it exists for (the link, the verification address).</summary>
    MissingPlaceholder,
}

/// <summary>A wording as it stands: its text and version (0: the portal's own, never edited).</summary>
public sealed record CurrentWording(string Key, int Version, string Text, DateTimeOffset? ChangedAt);

/// <summary>
/// The wordings ANSM adjusts without a release (<c>/admin/modeles</c>), versioned: each outcome's standard paragraphs
/// and the e-mails that go with a letter (<see cref="LetterEmails"/>). Placeholders are checked on save: only those
/// the portal fills are accepted, and an e-mail keeps the one it exists for.
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
        [LetterEmails.NoticeKey] = LetterEmails.Notice,
        [LetterEmails.CopyKey] = LetterEmails.Copy,
        [LetterEmails.CopyLinkKey] = LetterEmails.CopyLink,
    };

    /// <summary>The placeholders a wording may use.</summary>
    public static IReadOnlyList<string> PlaceholdersOf(string key) =>
        LetterEmails.Placeholders.TryGetValue(key, out var email) ? email.Allowed : ["{vigilance}"];

    /// <summary>Whether the wording is an e-mail (plain text, kept line for line) rather than a letter's paragraphs.</summary>
    public static bool IsEmail(string key) => LetterEmails.Placeholders.ContainsKey(key);

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
        return (set, string.Join(", ", current.Values.Where(w => !IsEmail(w.Key)).Select(w => $"{w.Key} v{w.Version}")));
    }

    /// <summary>The e-mails that go with letters now, and their version label, recorded on the letter beside the paragraphs'.</summary>
    public async Task<(LetterEmailSet Set, string Label)> ForEmailsAsync()
    {
        var current = (await CurrentAsync()).ToDictionary(w => w.Key);
        var set = new LetterEmailSet(current[LetterEmails.NoticeKey].Text, current[LetterEmails.CopyKey].Text, current[LetterEmails.CopyLinkKey].Text);
        return (set, string.Join(", ", current.Values.Where(w => IsEmail(w.Key)).Select(w => $"{w.Key} v{w.Version}")));
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

        var allowed = PlaceholdersOf(key);
        unknownPlaceholder = PlaceholderPattern().Matches(text).Select(m => m.Value).FirstOrDefault(p => !allowed.Contains(p));
        if (unknownPlaceholder is not null)
        {
            return WordingError.UnknownPlaceholder;
        }

        unknownPlaceholder = LetterEmails.Placeholders.TryGetValue(key, out var email) ? email.Required.FirstOrDefault(p => !text.Contains(p, StringComparison.Ordinal)) : null;
        return unknownPlaceholder is null ? WordingError.None : WordingError.MissingPlaceholder;
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
