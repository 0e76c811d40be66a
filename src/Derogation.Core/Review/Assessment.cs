using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>The criteria ANSM weighs (seeds 001–003: benefit, data, alternatives, urgency, the route to CE marking, earlier derogations).</summary>
public enum AssessmentCriterion
{
    /// <summary>Benefit for the patient (individual) or for public health (global).</summary>
    Benefit,
    SafetyAndPerformance,
    NoAlternative,
    Urgency,
    /// <summary>Global applications only: the plan and timetable to CE marking.</summary>
    CeMarkingPlan,
    EarlierDerogations,
}

public enum AssessmentOpinion
{
    Favourable,
    Reserved,
    Unfavourable,
}

/// <summary>One criterion of a case's assessment grid, as the reviewer last saved it. ANSM only.</summary>
public sealed class AssessmentEntry
{
    public Guid ApplicationId { get; set; }
    public AssessmentCriterion Criterion { get; set; }
    public AssessmentOpinion? Opinion { get; set; }
    public string? Comment { get; set; }
    public Guid UpdatedByUserId { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public bool IsComplete => Opinion is not null && !string.IsNullOrWhiteSpace(Comment);
}

internal sealed class AssessmentEntryConfiguration : IEntityTypeConfiguration<AssessmentEntry>
{
    public void Configure(EntityTypeBuilder<AssessmentEntry> builder)
    {
        builder.ToTable("assessment_entries");
        builder.HasKey(e => new { e.ApplicationId, e.Criterion });
        builder.Property(e => e.Criterion).HasConversion<string>().HasMaxLength(30);
        builder.Property(e => e.Opinion).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Comment).HasMaxLength(Assessments.MaxCommentLength);
        builder.HasOne<Application>().WithMany().HasForeignKey(e => e.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed record AssessmentInput(AssessmentCriterion Criterion, AssessmentOpinion? Opinion, string? Comment);

public enum AssessmentError
{
    None,
    NotFound,
    /// <summary>Only the reviewer holding the case, or a senior reviewer, fills the grid.</summary>
    NotHolder,
    /// <summary>Decided: the grid is kept as it was when the decision was signed.</summary>
    Decided,
    TooLong,
}

/// <summary>
/// The assessment grid: every criterion that applies to the application gets an opinion and a comment before a
/// decision on the merits (grant or refusal) can go to a signatory or be signed (<see cref="Proposals"/>). The
/// reviewer may save it as it grows; once the decision is signed it no longer changes.
/// </summary>
public sealed class Assessments(DerogationDbContext db, TimeProvider clock)
{
    public const int MaxCommentLength = 4000;

    /// <summary>The criteria that apply to a kind of application, in the order the grid shows them.</summary>
    public static IReadOnlyList<AssessmentCriterion> CriteriaFor(ApplicationKind kind) =>
        Enum.GetValues<AssessmentCriterion>().Where(c => c != AssessmentCriterion.CeMarkingPlan || kind == ApplicationKind.Global).ToList();

    /// <summary>The grid as saved, one entry per applicable criterion (empty ones included), in order.</summary>
    public async Task<IReadOnlyList<AssessmentEntry>> ReadAsync(Guid applicationId, ApplicationKind kind)
    {
        var saved = await db.AssessmentEntries.AsNoTracking().Where(e => e.ApplicationId == applicationId).ToListAsync();
        return CriteriaFor(kind)
            .Select(c => saved.FirstOrDefault(e => e.Criterion == c) ?? new AssessmentEntry { ApplicationId = applicationId, Criterion = c })
            .ToList();
    }

    /// <summary>The grid as printed for the file, with who filled each criterion in and when.</summary>
    public async Task<Letters.AssessmentSheet> SheetAsync(Application application, string? manufacturer)
    {
        var entries = await ReadAsync(application.Id, application.Kind);
        var authorIds = entries.Where(e => e.UpdatedAt != default).Select(e => e.UpdatedByUserId).Distinct().ToList();
        var authors = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.FullName);
        return new Letters.AssessmentSheet(application.Reference!, application.Kind == ApplicationKind.Global, application.DeviceName, manufacturer, clock.GetUtcNow(),
            entries.Select(e => new Letters.AssessmentLine(e.Criterion, e.Opinion, e.Comment,
                e.UpdatedAt == default ? null : authors.GetValueOrDefault(e.UpdatedByUserId), e.UpdatedAt == default ? null : e.UpdatedAt)).ToList());
    }

    /// <summary>The applicable criteria not yet given both an opinion and a comment.</summary>
    public static async Task<IReadOnlyList<AssessmentCriterion>> MissingAsync(DerogationDbContext db, Guid applicationId, ApplicationKind kind)
    {
        var complete = await db.AssessmentEntries.AsNoTracking()
            .Where(e => e.ApplicationId == applicationId && e.Opinion != null && e.Comment != null && e.Comment != "")
            .Select(e => e.Criterion).ToListAsync();
        return CriteriaFor(kind).Where(c => !complete.Contains(c)).ToList();
    }

    public async Task<AssessmentError> SaveAsync(string reference, IReadOnlyList<AssessmentInput> inputs, Guid reviewerId, bool seniorReviewer)
    {
        if (inputs.Any(i => i.Comment?.Trim().Length > MaxCommentLength))
        {
            return AssessmentError.TooLong;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE reference = {reference} FOR UPDATE");
        var application = await db.Applications.AsNoTracking().SingleOrDefaultAsync(a => a.Reference == reference && a.Status != ApplicationStatus.Draft);
        if (application is null)
        {
            return AssessmentError.NotFound;
        }

        if (!seniorReviewer && application.AssignedReviewerId != reviewerId)
        {
            return AssessmentError.NotHolder;
        }

        if (await db.Decisions.AnyAsync(d => d.ApplicationId == application.Id))
        {
            return AssessmentError.Decided;
        }

        var criteria = CriteriaFor(application.Kind);
        var saved = await db.AssessmentEntries.Where(e => e.ApplicationId == application.Id).ToListAsync();
        var now = clock.GetUtcNow();
        var changed = 0;
        // A criterion that does not apply to this kind (a CE-marking plan posted for an individual application) is ignored.
        foreach (var input in inputs.Where(i => criteria.Contains(i.Criterion)).DistinctBy(i => i.Criterion))
        {
            var comment = string.IsNullOrWhiteSpace(input.Comment) ? null : input.Comment.Trim();
            var entry = saved.FirstOrDefault(e => e.Criterion == input.Criterion);
            if (entry is null)
            {
                if (input.Opinion is null && comment is null)
                {
                    continue;
                }

                entry = new AssessmentEntry { ApplicationId = application.Id, Criterion = input.Criterion };
                db.AssessmentEntries.Add(entry);
            }
            else if (entry.Opinion == input.Opinion && entry.Comment == comment)
            {
                continue;
            }

            entry.Opinion = input.Opinion;
            entry.Comment = comment;
            entry.UpdatedByUserId = reviewerId;
            entry.UpdatedAt = now;
            changed++;
        }

        if (changed > 0)
        {
            // The audit trail says what changed in number only: the comments are ANSM's reasoning, kept in the grid.
            db.Record(clock, AuditActions.AssessmentSaved, reviewerId, nameof(Application), application.Id.ToString(), $"{changed} criterion(s) changed");
            await db.SaveChangesAsync();
        }

        await transaction.CommitAsync();
        return AssessmentError.None;
    }
}
