using System.Text.Json;
using System.Text.Json.Serialization;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Applications;

public enum ApplicationKind
{
    Individual,
    Global,
}

/// <summary>docs/domain.md §4.</summary>
public enum ApplicationStatus
{
    Draft,
    Submitted,
    UnderReview,
    InformationRequested,
    Granted,
    Refused,
    Closed,
    WithdrawnByApplicant,
    Suspended,
    Withdrawn,
    Expired,
}

/// <summary>
/// An application for a derogation, from its first draft to its decision and after. This holds who it belongs
/// to and where it stands; the wizards' answers are added by the application wizards.
/// </summary>
public sealed class Application
{
    public Guid Id { get; set; }
    public ApplicationKind Kind { get; set; }
    public ApplicationStatus Status { get; set; }
    /// <summary>DIV-2026-00042 or DGL-2026-00007, allocated at submission; null for a draft.</summary>
    public string? Reference { get; set; }
    /// <summary>The organisation that created the draft and files it: the manufacturer itself or a consultancy.</summary>
    public Guid FilingOrganisationId { get; set; }
    public Organisation FilingOrganisation { get; set; } = null!;
    public Guid CreatedByUserId { get; set; }
    /// <summary>The manufacturer the derogation is for; it sees the application from submission on.</summary>
    public Guid? ManufacturerId { get; set; }
    public Organisation? Manufacturer { get; set; }
    /// <summary>The mandate a consultancy, importer or distributor filed under, established at submission.</summary>
    public Guid? MandateId { get; set; }
    public Mandates.Mandate? Mandate { get; set; }
    /// <summary>The device's trade name, kept beside the answers for lists and the reviewers' queue.</summary>
    public string? DeviceName { get; set; }
    /// <summary>Kept beside the answers at submission, for the reviewers' queue (filter, sort, index).</summary>
    public LegalBasis? LegalBasis { get; set; }
    /// <summary>Individual: as declared; global applications are planned.</summary>
    public Urgency? Urgency { get; set; }
    /// <summary>When ANSM aims to decide, from the urgency (ReviewTargets); moved on while information is requested.</summary>
    public DateOnly? TargetDate { get; set; }
    /// <summary>The ANSM reviewer who holds the application.</summary>
    public Guid? AssignedReviewerId { get; set; }
    /// <summary>For an extension: the earlier global derogation it extends (visible to reviewers and on the receipt).</summary>
    public Guid? ExtendsApplicationId { get; set; }
    public Application? Extends { get; set; }
    /// <summary>The wizard's answers, one JSON document (jsonb).</summary>
    public ApplicationAnswers Answers { get; set; } = new();
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    /// <summary>When an urgent application was last announced to the reviewers (an untaken vital emergency is announced again).</summary>
    public DateTimeOffset? UrgencyAnnouncedAt { get; set; }
    /// <summary>Draft reminders sent before deletion (docs/retention.md); they count only while the draft stays untouched since.</summary>
    public int RetentionReminders { get; set; }
    public DateTimeOffset? RetentionRemindedAt { get; set; }
    /// <summary>When the patient's data of this decided individual application was purged (the decision and letters are kept).</summary>
    public DateTimeOffset? PatientDataPurgedAt { get; set; }
    /// <summary>PostgreSQL's row version (xmin): two people saving the same application cannot overwrite each other.</summary>
    public uint RowVersion { get; set; }
}

internal sealed class ApplicationConfiguration : IEntityTypeConfiguration<Application>
{
    public void Configure(EntityTypeBuilder<Application> builder)
    {
        builder.ToTable("applications");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.Reference).HasMaxLength(20);
        builder.Property(a => a.DeviceName).HasMaxLength(300);
        builder.Property(a => a.LegalBasis).HasConversion<string>().HasMaxLength(30);
        builder.Property(a => a.Urgency).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.RetentionReminders).HasDefaultValue(0);
        // The queue's default order: open applications by target date.
        builder.HasIndex(a => new { a.Status, a.TargetDate });
        builder.HasIndex(a => a.AssignedReviewerId);
        builder.Property(a => a.Answers).HasColumnType("jsonb").HasConversion(AnswersJson.Converter, AnswersJson.Comparer);
        // PostgreSQL changes xmin on every update of the row: the concurrency token costs nothing to maintain.
        builder.Property(a => a.RowVersion).HasColumnName("xmin").IsRowVersion();
        builder.HasIndex(a => a.Reference).IsUnique();
        builder.HasIndex(a => new { a.FilingOrganisationId, a.Status });
        builder.HasIndex(a => new { a.ManufacturerId, a.Status });
        builder.HasIndex(a => a.SubmittedAt);
        builder.HasOne(a => a.FilingOrganisation).WithMany().HasForeignKey(a => a.FilingOrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Manufacturer).WithMany().HasForeignKey(a => a.ManufacturerId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Mandate).WithMany().HasForeignKey(a => a.MandateId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(a => a.Extends).WithMany().HasForeignKey(a => a.ExtendsApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public static class JsonbColumns
{
    /// <summary>Maps a value object to a jsonb column, written like the answers and compared by its JSON.</summary>
    public static PropertyBuilder<T> HasJsonbConversion<T>(this PropertyBuilder<T> property) where T : class, new() =>
        property.HasColumnType("jsonb").HasConversion(
            value => JsonSerializer.Serialize(value, AnswersJson.Options),
            json => JsonSerializer.Deserialize<T>(json, AnswersJson.Options) ?? new T(),
            new ValueComparer<T>(
                (left, right) => JsonSerializer.Serialize(left, AnswersJson.Options) == JsonSerializer.Serialize(right, AnswersJson.Options),
                value => JsonSerializer.Serialize(value, AnswersJson.Options).GetHashCode(StringComparison.Ordinal),
                value => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(value, AnswersJson.Options), AnswersJson.Options)!));
}

/// <summary>A file kept beside a request, an opinion or a message, as one jsonb value written like the answers' documents.</summary>
public static class DocumentReferenceJson
{
    public static readonly Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DocumentReference?, string?> Converter = new(
        document => document == null ? null : JsonSerializer.Serialize(document, AnswersJson.Options),
        json => json == null ? null : JsonSerializer.Deserialize<DocumentReference>(json, AnswersJson.Options));
}

/// <summary>How the answers are written to jsonb: camelCase, enums by name (readable in SQL and stable if reordered).</summary>
public static class AnswersJson
{
    /// <summary>A deep copy, to validate a change before it is applied.</summary>
    public static ApplicationAnswers Copy(ApplicationAnswers answers) =>
        JsonSerializer.Deserialize<ApplicationAnswers>(JsonSerializer.Serialize(answers, Options), Options)!;

    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static readonly ValueConverter<ApplicationAnswers, string> Converter = new(
        answers => JsonSerializer.Serialize(answers, Options),
        json => JsonSerializer.Deserialize<ApplicationAnswers>(json, Options) ?? new ApplicationAnswers());

    // Answers are edited in place, so change tracking compares their JSON.
    public static readonly ValueComparer<ApplicationAnswers> Comparer = new(
        (left, right) => JsonSerializer.Serialize(left, Options) == JsonSerializer.Serialize(right, Options),
        answers => JsonSerializer.Serialize(answers, Options).GetHashCode(StringComparison.Ordinal),
        answers => JsonSerializer.Deserialize<ApplicationAnswers>(JsonSerializer.Serialize(answers, Options), Options)!);
}
