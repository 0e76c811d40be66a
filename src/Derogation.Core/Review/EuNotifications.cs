using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Review;

/// <summary>What is notified to the Commission and the member states about a global derogation.</summary>
public enum EuNotificationKind
{
    /// <summary>A global derogation granted.</summary>
    Authorisation,
    /// <summary>A global derogation granted as the extension of an earlier one (a new application).</summary>
    Extension,
    /// <summary>Twelve more months for an annual prosthesis derogation (a measure on the grant).</summary>
    AnnualExtension,
    Amendment,
    Suspension,
    Reinstatement,
    Withdrawal,
}

/// <summary>That a grant or a measure was notified to the Commission and the member states: when, by whom.</summary>
public sealed class EuNotificationMark
{
    /// <summary>The decision (a grant) or the grant measure notified.</summary>
    public Guid SourceId { get; set; }
    public Guid ApplicationId { get; set; }
    public EuNotificationKind Kind { get; set; }
    public DateTimeOffset SentAt { get; set; }
    public Guid SentByUserId { get; set; }
}

internal sealed class EuNotificationMarkConfiguration : IEntityTypeConfiguration<EuNotificationMark>
{
    public void Configure(EntityTypeBuilder<EuNotificationMark> builder)
    {
        builder.ToTable("eu_notification_marks");
        builder.HasKey(m => m.SourceId);
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(30);
        builder.HasIndex(m => m.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(m => m.ApplicationId).OnDelete(DeleteBehavior.Restrict);
    }
}

/// <summary>One event to notify, with whether it was.</summary>
public sealed record EuNotificationItem(Guid SourceId, Guid ApplicationId, string Reference, string? DeviceName, EuNotificationKind Kind,
    DateTimeOffset DecidedAt, DateTimeOffset? SentAt, string? SentBy);

/// <summary>The package for one event: the JSON document (docs/eu-notification.schema.json) and its PDF summary.</summary>
public sealed record EuNotificationPackage(string FileStem, byte[] Json, byte[] Pdf);

/// <summary>
/// MDR Art. 59(2) and IVDR Art. 54(2): every global derogation granted — and every extension, amendment, suspension,
/// reinstatement or withdrawal of one — is notified by ANSM to the Commission and the other member states. This lists
/// them with whether they were marked as sent, and builds each one's package: a JSON document (the schema the project
/// documents) and a PDF summary, in English (the language of the exchange), with no personal data.
/// </summary>
public sealed class EuNotifications(DerogationDbContext db, TimeProvider clock)
{
    public const string SchemaId = "https://derogations.ansm.sante.fr/schemas/eu-notification/1.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter() },
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Every event to notify, newest first; <paramref name="applicationId"/> narrows to one derogation (the case file).</summary>
    public async Task<IReadOnlyList<EuNotificationItem>> ListAsync(Guid? applicationId = null)
    {
        var globals = db.Applications.Where(a => a.Kind == ApplicationKind.Global && a.Reference != null && (applicationId == null || a.Id == applicationId));
        var grants = await (
            from decision in db.Decisions
            join application in globals on decision.ApplicationId equals application.Id
            where decision.Outcome == DecisionOutcome.Grant
            select new { decision.Id, ApplicationId = application.Id, application.Reference, application.DeviceName, Extends = application.ExtendsApplicationId != null, decision.DecidedAt })
            .ToListAsync();
        var measures = await (
            from measure in db.GrantMeasures
            join application in globals on measure.ApplicationId equals application.Id
            select new { measure.Id, ApplicationId = application.Id, application.Reference, application.DeviceName, measure.Kind, measure.DecidedAt })
            .ToListAsync();
        var sourceIds = grants.Select(g => g.Id).Concat(measures.Select(m => m.Id)).ToList();
        var marks = await (
            from mark in db.EuNotificationMarks
            join user in db.Users on mark.SentByUserId equals user.Id into users
            from user in users.DefaultIfEmpty()
            where sourceIds.Contains(mark.SourceId)
            select new { mark.SourceId, mark.SentAt, Name = user == null ? null : user.FullName })
            .ToDictionaryAsync(m => m.SourceId);

        EuNotificationItem Item(Guid id, Guid application, string reference, string? device, EuNotificationKind kind, DateTimeOffset at) =>
            new(id, application, reference, device, kind, at, marks.GetValueOrDefault(id)?.SentAt, marks.GetValueOrDefault(id)?.Name);
        return grants.Select(g => Item(g.Id, g.ApplicationId, g.Reference!, g.DeviceName, g.Extends ? EuNotificationKind.Extension : EuNotificationKind.Authorisation, g.DecidedAt))
            .Concat(measures.Select(m => Item(m.Id, m.ApplicationId, m.Reference!, m.DeviceName, KindOf(m.Kind), m.DecidedAt)))
            .OrderByDescending(i => i.DecidedAt)
            .ToList();
    }

    private static EuNotificationKind KindOf(GrantMeasureKind kind) => kind switch
    {
        GrantMeasureKind.Suspension => EuNotificationKind.Suspension,
        GrantMeasureKind.Reinstatement => EuNotificationKind.Reinstatement,
        GrantMeasureKind.Withdrawal => EuNotificationKind.Withdrawal,
        GrantMeasureKind.Extension => EuNotificationKind.AnnualExtension,
        _ => EuNotificationKind.Amendment,
    };

    /// <summary>Marks the event as notified (once: a second mark keeps the first). False when there is no such event.</summary>
    public async Task<bool> MarkSentAsync(Guid sourceId, Guid userId)
    {
        var item = (await ListAsync()).SingleOrDefault(i => i.SourceId == sourceId);
        if (item is null)
        {
            return false;
        }

        if (item.SentAt is not null)
        {
            return true;
        }

        db.EuNotificationMarks.Add(new EuNotificationMark
        {
            SourceId = sourceId, ApplicationId = item.ApplicationId, Kind = item.Kind, SentAt = clock.GetUtcNow(), SentByUserId = userId,
        });
        db.Record(clock, AuditActions.EuNotificationSent, userId, nameof(Application), item.Reference, item.Kind.ToString());
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException)
        {
            // Marked by someone else at the same moment: it is marked, which is what was asked.
        }

        return true;
    }

    /// <summary>The package of one event, or null when there is no such event.</summary>
    public async Task<EuNotificationPackage?> PackageAsync(Guid sourceId)
    {
        var item = (await ListAsync()).SingleOrDefault(i => i.SourceId == sourceId);
        if (item is null)
        {
            return null;
        }

        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).Include(a => a.Extends)
            .SingleAsync(a => a.Id == item.ApplicationId);
        var decision = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == application.Id).OrderByDescending(d => d.Version).FirstAsync();
        var measure = item.Kind is EuNotificationKind.Authorisation or EuNotificationKind.Extension
            ? null
            : await db.GrantMeasures.AsNoTracking().SingleAsync(m => m.Id == sourceId);
        var document = Document(item, application, decision, measure);
        var stem = $"notification-ue-{item.Reference}-{item.Kind.ToString().ToLowerInvariant()}-{FrenchTime.InParis(item.DecidedAt):yyyyMMdd}";
        return new EuNotificationPackage(stem, JsonSerializer.SerializeToUtf8Bytes(document, Json), EuNotificationPdf.Render(document));
    }

    private EuNotificationDocument Document(EuNotificationItem item, Application application, Decision decision, GrantMeasure? measure)
    {
        var answers = application.Answers;
        var parties = answers.Parties;
        var device = answers.Device;
        var conditions = measure?.Conditions ?? decision.Conditions;
        var mdr = application.LegalBasis != LegalBasis.InVitroDiagnostic;
        var references = device.ReferenceList.Where(r => !string.IsNullOrWhiteSpace(r.Code))
            .Select(r => new EuDeviceReference(r.Code!.Trim(), string.IsNullOrWhiteSpace(r.Description) ? null : r.Description.Trim())).ToList();
        return new EuNotificationDocument(
            Schema: SchemaId,
            NotifyingAuthority: new EuAuthority("Agence nationale de sécurité du médicament et des produits de santé (ANSM)", "FR"),
            LegalBasis: mdr ? "Regulation (EU) 2017/745, Article 59(2)" : "Regulation (EU) 2017/746, Article 54(2)",
            Event: new EuEvent(
                Kind: item.Kind,
                Date: DateOnly.FromDateTime(FrenchTime.InParis(item.DecidedAt).DateTime),
                Reasons: measure?.Reasons,
                VerificationCode: measure?.VerificationCode ?? decision.VerificationCode),
            Derogation: new EuDerogation(
                Reference: application.Reference!,
                Extends: application.Extends?.Reference,
                GrantedOn: DateOnly.FromDateTime(FrenchTime.InParis(decision.DecidedAt).DateTime),
                ValidFrom: conditions.ValidFrom,
                ValidUntil: measure?.NewValidUntil ?? conditions.ValidUntil ?? decision.Conditions.ValidUntil,
                MaxPatients: conditions.MaxPatients,
                Establishments: Blank(conditions.Establishments),
                FollowUp: Blank(conditions.FollowUp),
                Restrictions: Blank(conditions.Restrictions),
                JustificationSummary: decision.Reasons),
            Device: new EuDevice(
                Kind: mdr ? "MedicalDevice" : "InVitroDiagnosticMedicalDevice",
                TradeName: device.TradeName ?? application.DeviceName ?? "",
                Model: Blank(device.Model),
                References: references,
                UdiDi: Blank(device.UdiDi),
                RiskClass: Blank(device.RiskClass),
                IntendedPurpose: Blank(device.IntendedPurpose)),
            Indication: Blank(answers.GlobalScope.TargetPopulation) ?? Blank(device.IntendedPurpose),
            Manufacturer: new EuParty(application.Manufacturer?.LegalName ?? "", application.Manufacturer?.Address, application.Manufacturer?.Country, application.Manufacturer?.EudamedSrn),
            AuthorisedRepresentative: parties.ManufacturerOutsideEu && !string.IsNullOrWhiteSpace(parties.AuthorisedRepresentativeName)
                ? new EuParty(parties.AuthorisedRepresentativeName!, Blank(parties.AuthorisedRepresentativeAddress), Blank(parties.AuthorisedRepresentativeCountry), null)
                : null,
            GeneratedAt: clock.GetUtcNow());
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>The notification as JSON (docs/eu-notification.schema.json): organisations and the device, never a person.</summary>
public sealed record EuNotificationDocument(
    [property: JsonPropertyName("$schema")] string Schema,
    EuAuthority NotifyingAuthority, string LegalBasis, EuEvent Event, EuDerogation Derogation, EuDevice Device, string? Indication,
    EuParty Manufacturer, EuParty? AuthorisedRepresentative, DateTimeOffset GeneratedAt);

public sealed record EuAuthority(string Name, string MemberState);

public sealed record EuEvent(EuNotificationKind Kind, DateOnly Date, string? Reasons, string? VerificationCode);

public sealed record EuDerogation(string Reference, string? Extends, DateOnly GrantedOn, DateOnly? ValidFrom, DateOnly? ValidUntil, int? MaxPatients,
    string? Establishments, string? FollowUp, string? Restrictions, string JustificationSummary);

public sealed record EuDevice(string Kind, string TradeName, string? Model, IReadOnlyList<EuDeviceReference> References, string? UdiDi, string? RiskClass, string? IntendedPurpose);

public sealed record EuDeviceReference(string Code, string? Description);

public sealed record EuParty(string Name, string? Address, string? Country, string? Srn);
