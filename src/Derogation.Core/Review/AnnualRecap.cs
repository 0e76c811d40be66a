using Derogation.Core.Navigation;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Review;

/// <summary>One covered element in an annual recap: how many were used, and where.</summary>
public sealed class RecapLine
{
    public string Code { get; set; } = "";
    public string Description { get; set; } = "";
    public int? Quantity { get; set; }
    public string? Establishments { get; set; }
}

/// <summary>
/// The recap an annual prosthesis derogation's manufacturer files at each anniversary (docs/adr/0006): per covered
/// reference, the quantity used and the establishments; optionally with a request to extend it by twelve months.
/// </summary>
public sealed class AnnualRecap
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    /// <summary>The anniversary the recap closes: the derogation's end of validity when it was filed.</summary>
    public DateOnly PeriodEnd { get; set; }
    public List<RecapLine> Lines { get; set; } = [];
    public bool ExtensionRequested { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public Guid SubmittedByUserId { get; set; }
}

internal sealed class AnnualRecapConfiguration : IEntityTypeConfiguration<AnnualRecap>
{
    public void Configure(EntityTypeBuilder<AnnualRecap> builder)
    {
        builder.ToTable("annual_recaps");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.Lines).HasJsonbConversion();
        builder.Property(r => r.Comment).HasMaxLength(4000);
        builder.HasIndex(r => new { r.ApplicationId, r.PeriodEnd }).IsUnique();
        builder.HasOne<Application>().WithMany().HasForeignKey(r => r.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed record RecapError(int? Line, string Field, string Message);

/// <summary>Filing the annual recap, and the derogation's validity as it stands after any extension.</summary>
public sealed class AnnualRecaps(DerogationDbContext db, OutboxSignal outbox, TimeProvider clock, IPortalLinks links, IStringLocalizer<CoreText> l)
{
    /// <summary>The granted annual prosthesis derogation the viewer may file a recap for, with its covered elements; null otherwise.</summary>
    public async Task<(Application Application, IReadOnlyList<DeviceReference> Elements, DateOnly PeriodEnd, AnnualRecap? Filed)?> OpenAsync(string reference, Viewer viewer)
    {
        var application = await db.Applications.AsNoTracking().VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Reference == reference.ToUpperInvariant() && a.Kind == ApplicationKind.Global && a.Status == ApplicationStatus.Granted);
        if (application is null)
        {
            return null;
        }

        var decision = await db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == application.Id);
        if (decision is null)
        {
            return null;
        }

        var answers = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id && v.Version == decision.Version).Select(v => v.Answers).SingleAsync();
        if (!answers.GlobalScope.AnnualProsthesisRevision || await db.CurrentValidUntilAsync(application.Id) is not { } periodEnd)
        {
            return null;
        }

        var filed = await db.AnnualRecaps.AsNoTracking().SingleOrDefaultAsync(r => r.ApplicationId == application.Id && r.PeriodEnd == periodEnd);
        return (application, answers.Device.ReferenceList, periodEnd, filed);
    }

    public async Task<(IReadOnlyList<RecapError> Errors, AnnualRecap? Recap)> FileAsync(
        string reference, Viewer viewer, IReadOnlyList<RecapLine> lines, bool extensionRequested, string? comment)
    {
        if (await OpenAsync(reference, viewer) is not { } open)
        {
            return ([new RecapError(null, "", l["RecapNotOpen"])], null);
        }

        if (open.Filed is not null)
        {
            return ([new RecapError(null, "", l["RecapAlreadyFiled", open.PeriodEnd.ToString("d")])], null);
        }

        var errors = new List<RecapError>();
        var expected = open.Elements.Select(e => e.Code ?? "").ToList();
        if (!lines.Select(x => x.Code).SequenceEqual(expected))
        {
            return ([new RecapError(null, "", l["RecapElementsChanged"])], null);
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Quantity is null || line.Quantity < 0)
            {
                errors.Add(new RecapError(i, nameof(RecapLine.Quantity), l["RecapQuantityRequired", line.Code]));
            }
            else if (line.Quantity > 0 && string.IsNullOrWhiteSpace(line.Establishments))
            {
                errors.Add(new RecapError(i, nameof(RecapLine.Establishments), l["RecapEstablishmentsRequired", line.Code]));
            }

            foreach (var finding in Anonymisation.InOtherText(line.Establishments))
            {
                errors.Add(new RecapError(i, nameof(RecapLine.Establishments), l["Anon" + finding.Problem, l["RecapEstablishments"], finding.Found]));
            }
        }

        if (comment?.Length > 4000)
        {
            errors.Add(new RecapError(null, "Comment", l["TooLong", 4000]));
        }

        if (errors.Count > 0)
        {
            return (errors, null);
        }

        var recap = new AnnualRecap
        {
            Id = Guid.NewGuid(),
            ApplicationId = open.Application.Id,
            PeriodEnd = open.PeriodEnd,
            Lines = lines.Select((x, i) => new RecapLine
            {
                Code = x.Code, Description = open.Elements[i].Description ?? "", Quantity = x.Quantity, Establishments = x.Establishments?.Trim(),
            }).ToList(),
            ExtensionRequested = extensionRequested,
            Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim(),
            SubmittedAt = clock.GetUtcNow(),
            SubmittedByUserId = viewer.UserId,
        };
        db.AnnualRecaps.Add(recap);
        db.Record(clock, AuditActions.AnnualRecapFiled, viewer.UserId, nameof(Application), open.Application.Id.ToString(),
            $"period ending {open.PeriodEnd:yyyy-MM-dd}" + (extensionRequested ? ", extension requested" : ""));
        var reviewer = await db.Users.AsNoTracking().Where(u => u.Id == open.Application.AssignedReviewerId && u.Email != null).Select(u => u.Email!).SingleOrDefaultAsync();
        if (reviewer is not null)
        {
            db.Enqueue(clock, reviewer, $"Dérogation {open.Application.Reference} : bilan annuel déposé" + (extensionRequested ? ", prolongation demandée" : ""),
                $"Bonjour,\n\nLe fabricant a déposé le bilan annuel de la dérogation {open.Application.Reference} (période close le {open.PeriodEnd:dd/MM/yyyy})" +
                (extensionRequested ? " et demande sa prolongation de 12 mois" : "") + $".\n\n{links.CaseFile(open.Application.Reference!, "bilans")}\n\nPortail des dérogations au marquage CE",
                AuditActions.AnnualRecapFiled, open.Application.Id);
        }

        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Filed meanwhile (another tab, a colleague): the unique (derogation, period) index keeps one.
            db.ChangeTracker.Clear();
            return ([new RecapError(null, "", l["RecapAlreadyFiled", open.PeriodEnd.ToString("d")])], null);
        }

        outbox.Wake();
        return ([], recap);
    }
}
