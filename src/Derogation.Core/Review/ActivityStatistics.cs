using Derogation.Core.Applications;
using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>The period and legal basis the figures are about: applications filed from <see cref="From"/> to <see cref="To"/> (inclusive, Paris dates).</summary>
public sealed record StatisticsFilter(DateOnly From, DateOnly To, LegalBasis? LegalBasis = null);

public sealed record MonthCount(string Month, ApplicationKind Kind, int Count);

public sealed record OutcomeCount(DecisionOutcome Outcome, int Count);

/// <summary>Days from submission to decision, the days information was awaited taken out.</summary>
public sealed record DecisionTime(Urgency Urgency, int Decided, double MedianDays, double NinetiethDays);

public sealed record RequestsPerCase(int Requests, int Cases);

public sealed record ActivityFigures(
    IReadOnlyList<MonthCount> PerMonth, IReadOnlyList<OutcomeCount> Outcomes, IReadOnlyList<DecisionTime> DecisionTimes, int Overdue,
    IReadOnlyList<RequestsPerCase> RequestsPerCase)
{
    public int Filed => PerMonth.Sum(m => m.Count);

    /// <summary>Information requests per application filed in the period (0 when none was filed).</summary>
    public double AverageRequests => RequestsPerCase.Sum(r => r.Cases) is var cases and > 0 ? RequestsPerCase.Sum(r => r.Requests * r.Cases) / (double)cases : 0;
}

/// <summary>
/// ANSM's figures on its activity, each from one SQL aggregation over the applications filed in the period (the
/// overdue count is today's): filed per month and kind, outcomes, the median and 90th percentile of the time to a
/// decision per urgency — the clock stops (information awaited, until the answer, the cancellation or the decision)
/// taken out —, overdue open applications, information requests per case.
/// </summary>
public sealed class ActivityStatistics(DerogationDbContext db, TimeProvider clock)
{
    public async Task<ActivityFigures> ReadAsync(StatisticsFilter filter)
    {
        var from = FrenchTime.StartOfDay(filter.From);
        var to = FrenchTime.StartOfDay(filter.To.AddDays(1));
        var basis = filter.LegalBasis?.ToString() ?? "";

        // Grouped by the month's start, formatted after grouping (to_char on every row costs more than the rest).
        var perMonth = await db.Database.SqlQuery<MonthRow>($"""
            SELECT to_char(m.month, 'YYYY-MM') AS month, m.kind AS kind, m.count AS count
            FROM (
                SELECT date_trunc('month', a.submitted_at AT TIME ZONE 'Europe/Paris') AS month, a.kind, count(*)::int AS count
                FROM applications a
                WHERE a.submitted_at >= {from} AND a.submitted_at < {to} AND ({basis} = '' OR a.legal_basis = {basis})
                GROUP BY 1, 2
            ) m
            ORDER BY 1, 2
            """).ToListAsync();

        var outcomes = await db.Database.SqlQuery<OutcomeRow>($"""
            SELECT d.outcome AS outcome, count(*)::int AS count
            FROM decisions d JOIN applications a ON a.id = d.application_id
            WHERE a.submitted_at >= {from} AND a.submitted_at < {to} AND ({basis} = '' OR a.legal_basis = {basis})
            GROUP BY 1 ORDER BY 1
            """).ToListAsync();

        // The clock stops are kept on each decision at signature (ClockStop.StoppedSeconds): no join to the requests.
        var times = await db.Database.SqlQuery<TimeRow>($"""
            SELECT t.urgency AS urgency, count(*)::int AS decided,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY t.days) AS median_days,
                   percentile_cont(0.9) WITHIN GROUP (ORDER BY t.days) AS ninetieth_days
            FROM (
                SELECT coalesce(a.urgency, 'Planned') AS urgency,
                       greatest(0, extract(epoch FROM d.decided_at - a.submitted_at) - d.clock_stopped_seconds) / 86400.0 AS days
                FROM decisions d
                JOIN applications a ON a.id = d.application_id
                WHERE a.submitted_at >= {from} AND a.submitted_at < {to} AND ({basis} = '' OR a.legal_basis = {basis})
            ) t
            GROUP BY 1 ORDER BY 1
            """).ToListAsync();

        var today = FrenchTime.Today(clock);
        var overdue = (await db.Database.SqlQuery<CountRow>($"""
            SELECT count(*)::int AS count FROM applications a
            WHERE a.status IN ('Submitted', 'UnderReview') AND a.target_date < {today} AND ({basis} = '' OR a.legal_basis = {basis})
            """).SingleAsync()).Count;

        var requests = await db.Database.SqlQuery<RequestsRow>($"""
            SELECT least(coalesce(c.requests, 0), 3)::int AS requests, count(*)::int AS cases
            FROM applications a
            LEFT JOIN (SELECT r.application_id, count(*) AS requests FROM information_requests r WHERE NOT r.after_decision GROUP BY 1) c
                ON c.application_id = a.id
            WHERE a.submitted_at >= {from} AND a.submitted_at < {to} AND ({basis} = '' OR a.legal_basis = {basis})
            GROUP BY 1 ORDER BY 1
            """).ToListAsync();

        return new ActivityFigures(
            perMonth.Select(r => new MonthCount(r.Month, Enum.Parse<ApplicationKind>(r.Kind), r.Count)).ToList(),
            outcomes.Select(r => new OutcomeCount(Enum.Parse<DecisionOutcome>(r.Outcome), r.Count)).ToList(),
            times.Select(r => new DecisionTime(Enum.Parse<Urgency>(r.Urgency), r.Decided, r.MedianDays, r.NinetiethDays)).ToList(),
            overdue,
            requests.Select(r => new RequestsPerCase(r.Requests, r.Cases)).ToList());
    }

    /// <summary>The last twelve months to today, the page's default.</summary>
    public StatisticsFilter DefaultFilter()
    {
        var today = FrenchTime.Today(clock);
        return new StatisticsFilter(new DateOnly(today.Year, today.Month, 1).AddMonths(-11), today);
    }

    private sealed record MonthRow(string Month, string Kind, int Count);

    private sealed record OutcomeRow(string Outcome, int Count);

    private sealed record TimeRow(string Urgency, int Decided, double MedianDays, double NinetiethDays);

    private sealed record RequestsRow(int Requests, int Cases);

    private sealed record CountRow(int Count);
}
