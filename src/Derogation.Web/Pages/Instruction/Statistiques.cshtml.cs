using Derogation.Core.Applications;
using Derogation.Core.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>A horizontal bar chart, stacked by series; the table beside it carries the same figures for everyone.</summary>
/// <param name="Stacked">Series add up (counts by kind); otherwise they sit side by side (median beside 90th percentile).</param>
public sealed record BarChart(string Id, string Title, string RowHeader, IReadOnlyList<string> Series, IReadOnlyList<(string Label, IReadOnlyList<double> Values)> Bars, string Unit = "", bool Stacked = true);

/// <summary>ANSM's figures on the activity (<see cref="ActivityStatistics"/>), filtered by period and legal basis in the address.</summary>
public sealed class StatistiquesModel(ActivityStatistics statistics, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "du")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "au")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "base")]
    public LegalBasis? LegalBasis { get; set; }

    public ActivityFigures Figures { get; private set; } = null!;

    public StatisticsFilter Filter { get; private set; } = null!;

    public async Task OnGetAsync()
    {
        var defaults = statistics.DefaultFilter();
        if (!ModelState.IsValid)
        {
            // An unreadable date: the default period, and the field named with its fix.
            From = ModelState[nameof(From)]?.Errors.Count > 0 || ModelState["du"]?.Errors.Count > 0 ? null : From;
            To = ModelState[nameof(To)]?.Errors.Count > 0 || ModelState["au"]?.Errors.Count > 0 ? null : To;
        }

        var from = From ?? defaults.From;
        var to = To ?? defaults.To;
        if (to < from)
        {
            ModelState.AddModelError("au", l["StatisticsToBeforeFrom"]);
            to = from;
        }

        Filter = new StatisticsFilter(from, to, LegalBasis);
        (From, To) = (from, to);
        Figures = await statistics.ReadAsync(Filter);
    }

    public BarChart PerMonthChart()
    {
        var months = Figures.PerMonth.Select(m => m.Month).Distinct().Order(StringComparer.Ordinal).ToList();
        var kinds = Enum.GetValues<ApplicationKind>();
        return new BarChart("par-mois", l["StatisticsPerMonth"], l["StatisticsMonth"], kinds.Select(k => l["Kind" + k].Value).ToList(),
            months.Select(m => (MonthName(m), (IReadOnlyList<double>)kinds.Select(k => (double)Figures.PerMonth.Where(r => r.Month == m && r.Kind == k).Sum(r => r.Count)).ToList())).ToList());
    }

    public BarChart OutcomesChart() =>
        new("decisions", l["StatisticsOutcomes"], l["StatisticsOutcome"], [l["StatisticsDecisions"]],
            Figures.Outcomes.Select(o => (l["Outcome" + o.Outcome].Value, (IReadOnlyList<double>)[o.Count])).ToList());

    public BarChart TimesChart() =>
        new("delais", l["StatisticsTimes"], l["FieldUrgency"], [l["StatisticsMedian"], l["StatisticsNinetieth"]],
            Figures.DecisionTimes.Select(t => (l["Urgency" + t.Urgency].Value, (IReadOnlyList<double>)[Math.Round(t.MedianDays, 1), Math.Round(t.NinetiethDays, 1)])).ToList(),
            l["StatisticsDaysUnit"], Stacked: false);

    public BarChart RequestsChart() =>
        new("demandes-information", l["StatisticsRequests"], l["StatisticsRequestCount"], [l["StatisticsCases"]],
            Figures.RequestsPerCase.Select(r => (r.Requests >= 3 ? l["StatisticsThreeOrMore"].Value : r.Requests.ToString(System.Globalization.CultureInfo.CurrentCulture), (IReadOnlyList<double>)[r.Cases])).ToList());

    /// <summary>"2026-03" as "mars 2026" / "March 2026".</summary>
    public static string MonthName(string month) =>
        DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).ToString("MMMM yyyy", System.Globalization.CultureInfo.CurrentCulture);
}
