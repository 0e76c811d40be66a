using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>Why an earlier application is shown beside the one under review (one or several).</summary>
[Flags]
public enum EarlierMatch
{
    None = 0,
    SameManufacturer = 1,
    SameTradeName = 2,
    SameUdiDi = 4,
    SameReference = 8,
}

/// <summary>An earlier application (any status but a draft) and how it ended, or where it stands.</summary>
public sealed record EarlierApplication(
    string Reference, ApplicationKind Kind, string? Device, string Manufacturer, ApplicationStatus Status, DateTimeOffset SubmittedAt,
    DecisionOutcome? Outcome, DateTimeOffset? DecidedAt, EarlierMatch Match);

/// <summary>
/// The case file's history of the same device and the same manufacturer: ANSM must see repeated requests for the same
/// device (seed 003: a derogation is not a route to the market) and what was decided each time. One SQL query (its columns named as the snake-case convention expects): the same
/// manufacturer (indexed), the same trade name or UDI-DI, or a device reference in common (individual applications give
/// their references as text separated by commas, semicolons or lines; global ones as a list).
/// </summary>
public sealed class EarlierApplications(DerogationDbContext db)
{
    public const int Limit = 50;

    /// <param name="device">The device as submitted (the latest version), never the applicant's work in progress.</param>
    public async Task<IReadOnlyList<EarlierApplication>> ForAsync(Application application, DeviceAnswers device)
    {
        var name = string.IsNullOrWhiteSpace(device.TradeName) ? null : device.TradeName.Trim().ToUpperInvariant();
        var udi = string.IsNullOrWhiteSpace(device.UdiDi) ? null : device.UdiDi.Trim().ToUpperInvariant();
        var codes = ReferenceCodes(device).ToArray();
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT a.reference AS reference, a.kind AS kind, a.device_name AS device, o.legal_name AS manufacturer, a.status AS status,
                   a.submitted_at AS submitted_at, d.outcome AS outcome, d.decided_at AS decided_at,
                   (a.manufacturer_id = {application.ManufacturerId}) AS same_manufacturer,
                   (upper(trim(a.answers -> 'device' ->> 'tradeName')) = {name}) AS same_trade_name,
                   (upper(trim(a.answers -> 'device' ->> 'udiDi')) = {udi}) AS same_udi_di,
                   (regexp_split_to_array(upper(coalesce(a.answers -> 'device' ->> 'references', '')), '\s*[,;\n]\s*') && {codes}
                    OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(a.answers -> 'device' -> 'referenceList', '[]'::jsonb)) r
                               WHERE upper(trim(r ->> 'code')) = ANY ({codes}))) AS same_reference
            FROM applications a
            JOIN organisations o ON o.id = a.manufacturer_id
            LEFT JOIN decisions d ON d.application_id = a.id
            WHERE a.status <> 'Draft' AND a.id <> {application.Id} AND a.submitted_at IS NOT NULL
              AND (a.manufacturer_id = {application.ManufacturerId}
                   OR upper(trim(a.answers -> 'device' ->> 'tradeName')) = {name}
                   OR upper(trim(a.answers -> 'device' ->> 'udiDi')) = {udi}
                   OR regexp_split_to_array(upper(coalesce(a.answers -> 'device' ->> 'references', '')), '\s*[,;\n]\s*') && {codes}
                   OR EXISTS (SELECT 1 FROM jsonb_array_elements(coalesce(a.answers -> 'device' -> 'referenceList', '[]'::jsonb)) r
                              WHERE upper(trim(r ->> 'code')) = ANY ({codes})))
            ORDER BY a.submitted_at DESC
            LIMIT {Limit}
            """).ToListAsync();
        return rows.Select(r => new EarlierApplication(r.Reference, Enum.Parse<ApplicationKind>(r.Kind), r.Device, r.Manufacturer, Enum.Parse<ApplicationStatus>(r.Status),
                r.SubmittedAt, r.Outcome is null ? null : Enum.Parse<DecisionOutcome>(r.Outcome), r.DecidedAt,
                (r.SameManufacturer == true ? EarlierMatch.SameManufacturer : 0) | (r.SameTradeName == true ? EarlierMatch.SameTradeName : 0)
                | (r.SameUdiDi == true ? EarlierMatch.SameUdiDi : 0) | (r.SameReference == true ? EarlierMatch.SameReference : 0)))
            .ToList();
    }

    /// <summary>The device references an application names, upper-cased: the list's codes, or the text split as people write it.</summary>
    public static IEnumerable<string> ReferenceCodes(DeviceAnswers device) =>
        device.ReferenceList.Select(r => r.Code)
            .Concat((device.References ?? "").Split([',', ';', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Where(code => !string.IsNullOrWhiteSpace(code)).Select(code => code!.Trim().ToUpperInvariant()).Distinct();

    private sealed record Row(
        string Reference, string Kind, string? Device, string Manufacturer, string Status, DateTimeOffset SubmittedAt, string? Outcome, DateTimeOffset? DecidedAt,
        bool? SameManufacturer, bool? SameTradeName, bool? SameUdiDi, bool? SameReference);
}
