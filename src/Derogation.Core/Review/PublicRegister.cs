using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

public enum RegisterStatus
{
    /// <summary>Granted, its validity not begun yet (before its start date, in France).</summary>
    Upcoming,
    InForce,
    Suspended,
    Withdrawn,
    Expired,
}

public sealed record RegisterReference(string Code, string Description);

/// <summary>The conditions a register shows, as parts, so that a page words them in its own language (the texts are ANSM's).</summary>
public sealed record RegisterConditions(int? MaxPatients, string? Establishments, string? Restrictions, string? FollowUp);

/// <summary>One granted global derogation as published (docs/domain.md §8): nothing about any patient, ever.</summary>
public sealed record RegisterEntry(
    string Reference,
    string Device,
    string Manufacturer,
    string ManufacturerCountry,
    IReadOnlyList<RegisterReference> References,
    DateOnly GrantedOn,
    DateOnly ValidFrom,
    DateOnly? ValidUntil,
    string Conditions,
    RegisterStatus Status,
    LegalBasis? LegalBasis = null,
    string Indication = "",
    ProsthesisKind? AnnualProsthesis = null,
    RegisterConditions? Terms = null);

/// <summary>
/// The one rule for where a derogation stands (docs/register.md): the register's page, CSV and JSON, the verification
/// page and the case file all ask it, so that none says "in force" before the start date.
/// </summary>
public static class DerogationStatus
{
    public static RegisterStatus Of(ApplicationStatus status, DateOnly? validFrom, DateOnly today) => status switch
    {
        ApplicationStatus.Suspended => RegisterStatus.Suspended,
        ApplicationStatus.Withdrawn => RegisterStatus.Withdrawn,
        ApplicationStatus.Expired => RegisterStatus.Expired,
        _ when validFrom > today => RegisterStatus.Upcoming,
        _ => RegisterStatus.InForce,
    };

    /// <summary>A granted derogation whose validity has not begun yet.</summary>
    public static bool NotYetInForce(ApplicationStatus status, DateOnly? validFrom, DateOnly today) =>
        status == ApplicationStatus.Granted && Of(status, validFrom, today) == RegisterStatus.Upcoming;
}

/// <summary>
/// The public register of global derogations: every granted one, with its status as it stands (to come, in force,
/// suspended, withdrawn, expired). Individual derogations never appear.
/// </summary>
public sealed class PublicRegister(DerogationDbContext db, TimeProvider clock)
{
    private static readonly ApplicationStatus[] Published = [ApplicationStatus.Granted, ApplicationStatus.Suspended, ApplicationStatus.Withdrawn, ApplicationStatus.Expired];

    public async Task<IReadOnlyList<RegisterEntry>> ListAsync(string? search = null)
    {
        var rows = await db.Applications.AsNoTracking()
            .Where(a => a.Kind == ApplicationKind.Global && Published.Contains(a.Status))
            .Join(db.Decisions.Where(d => d.Outcome == DecisionOutcome.Grant), a => a.Id, d => d.ApplicationId, (a, d) => new { a, d })
            .Join(db.ApplicationVersions, x => new { Id = x.a.Id, x.d.Version }, v => new { Id = v.ApplicationId, v.Version }, (x, v) => new
            {
                x.a.Reference, x.a.Status, x.a.LegalBasis, Manufacturer = x.a.Manufacturer!.LegalName, Country = x.a.Manufacturer.Country, x.d.DecidedAt, x.d.Conditions, v.Answers,
                Extended = db.GrantMeasures.Where(m => m.ApplicationId == x.a.Id && m.Kind == GrantMeasureKind.Extension).Max(m => m.NewValidUntil),
            })
            .ToListAsync();
        var today = FrenchTime.Today(clock);
        var entries = rows.Select(r =>
        {
            var granted = DateOnly.FromDateTime(FrenchTime.InParis(r.DecidedAt).Date);
            var references = r.Answers.Device.ReferenceList.Select(x => new RegisterReference(x.Code ?? "", x.Description ?? "")).ToList();
            return new RegisterEntry(r.Reference!, r.Answers.Device.TradeName ?? "", r.Manufacturer, r.Country, references, granted,
                r.Conditions.ValidFrom ?? granted, r.Extended ?? r.Conditions.ValidUntil, Conditions(r.Conditions),
                DerogationStatus.Of(r.Status, r.Conditions.ValidFrom ?? granted, today),
                r.LegalBasis ?? r.Answers.Parties.LegalBasis,
                r.Answers.GlobalScope.TargetPopulation?.Trim() ?? "",
                r.Answers.GlobalScope.AnnualProsthesisRevision ? r.Answers.GlobalScope.ProsthesisKind ?? ProsthesisKind.Joint : null,
                new RegisterConditions(r.Conditions.MaxPatients, Trimmed(r.Conditions.Establishments), Trimmed(r.Conditions.Restrictions), Trimmed(r.Conditions.FollowUp)));
        });
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            entries = entries.Where(e => e.Reference.Contains(term, StringComparison.OrdinalIgnoreCase) || e.Device.Contains(term, StringComparison.OrdinalIgnoreCase)
                                         || e.Manufacturer.Contains(term, StringComparison.OrdinalIgnoreCase)
                                         || e.References.Any(x => x.Code.Contains(term, StringComparison.OrdinalIgnoreCase) || x.Description.Contains(term, StringComparison.OrdinalIgnoreCase)));
        }

        return entries.OrderByDescending(e => e.GrantedOn).ThenBy(e => e.Reference, StringComparer.Ordinal).ToList();
    }

    private static string? Trimmed(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The conditions in one line, in French (the CSV and JSON publication): what a reader needs, the full text being in the letter.</summary>
    private static string Conditions(DecisionConditions conditions) => string.Join(" ; ", new[]
    {
        conditions.MaxPatients is { } patients ? $"{patients.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")).Replace('\u202F', '\u00A0')} patients au plus" : null,
        string.IsNullOrWhiteSpace(conditions.Establishments) ? null : $"établissements : {conditions.Establishments.Trim()}",
        string.IsNullOrWhiteSpace(conditions.Restrictions) ? null : conditions.Restrictions.Trim(),
        string.IsNullOrWhiteSpace(conditions.FollowUp) ? null : $"suivi : {conditions.FollowUp.Trim()}",
    }.Where(c => c is not null));
}
