using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Npgsql;

namespace Derogation.Tests.Review;

/// <summary>The activity figures, on seeded cases whose answers are known: counts, outcomes, medians without the clock stops.</summary>
public sealed class StatisticsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Statistics_CountPerMonthAndOutcome_TakeClockStopsOutOfTheMedian_AndCountOverdueAndRequests()
    {
        await SeedAsync();
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var page = await Html.ParseAsync(await reviewer.GetAsync("/instruction/statistiques?du=2025-01-01&au=2025-02-28"));

        Assert.Equal("Du 01/01/2025 au 28/02/2025 : 5 demande(s) déposée(s).", page.Text("#periode"));
        Assert.Equal(
            ["janvier 2025 | 2 | 0", "février 2025 | 2 | 1"],
            page.QuerySelectorAll("#table-par-mois tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))));
        Assert.Equal(
            ["Dérogation accordée | 3", "Dérogation refusée | 1"],
            page.QuerySelectorAll("#table-decisions tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))));
        // Vital emergencies: 2 days, and 6 days of which 2 waiting for the applicant → 4: median 3, 90th percentile 3.8.
        // Urgent: 10. Planned (the global one): 30 days, 5 + 3 waiting → 22.
        Assert.Equal(
            ["Programmé | 22 | 22", "Urgence vitale | 3 | 3,8", "Urgent | 10 | 10"],
            page.QuerySelectorAll("#table-delais tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))).Order(StringComparer.Ordinal));
        // Overdue today: the planned one under review and the one filed in December (whatever the period); not the one waiting for an answer.
        Assert.Equal("2", page.Text("#chiffre-en-retard"));
        Assert.Equal(["0 | 2", "1 | 2", "2 | 1"],
            page.QuerySelectorAll("#table-demandes-information tbody tr").Select(r => string.Join(" | ", r.Children.Select(c => c.TextContent.Trim()))));
        Assert.Equal("0,80", page.Text("#chiffre-demandes-information"));
        Assert.NotNull(page.QuerySelector("#graphique-par-mois svg[role=img] title"));

        // By legal basis: the IVD one only.
        var ivd = await Html.ParseAsync(await reviewer.GetAsync("/instruction/statistiques?du=2025-01-01&au=2025-02-28&base=InVitroDiagnostic"));
        Assert.Equal("Du 01/01/2025 au 28/02/2025 : 1 demande(s) déposée(s).", ivd.Text("#periode"));

        // An end before the start is named, with its fix; an unreadable date too; never a 500.
        var wrong = await Html.ParseAsync(await reviewer.GetAsync("/instruction/statistiques?du=2025-03-01&au=2025-01-01"));
        Assert.Contains("La date de fin est avant la date de début", wrong.Text("#resume-erreurs"), StringComparison.Ordinal);
        var unreadable = await reviewer.GetAsync("/instruction/statistiques?du=demain");
        Assert.Equal(HttpStatusCode.OK, unreadable.StatusCode);
        Assert.NotNull((await Html.ParseAsync(unreadable)).QuerySelector("#resume-erreurs"));

        // ANSM only.
        Assert.NotEqual(HttpStatusCode.OK, (await (await portal.CreateClientAsAsync(Roles.Manufacturer)).GetAsync("/instruction/statistiques")).StatusCode);
    }

    private async Task SeedAsync()
    {
        await using var connection = new NpgsqlConnection(portal.ConnectionString);
        await connection.OpenAsync();
        const string sql = """
            INSERT INTO organisations (id, kind, legal_name, address, country, created_at)
            VALUES ('00000000-0000-0000-0000-0000000000aa', 'Manufacturer', 'Statistiques SAS', '1 rue des Chiffres, Paris', 'France', now());

            INSERT INTO applications (id, kind, status, reference, filing_organisation_id, created_by_user_id, manufacturer_id, device_name,
                                      legal_basis, urgency, target_date, answers, created_at, updated_at, submitted_at)
            VALUES
              ('00000000-0000-0000-0000-000000000001', 'Individual', 'Granted', 'DIV-2025-90001', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'A', 'MedicalDevice', 'VitalEmergency', '2025-01-13', '{}', now(), now(), '2025-01-10T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000002', 'Individual', 'Granted', 'DIV-2025-90002', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'B', 'MedicalDevice', 'VitalEmergency', '2025-01-21', '{}', now(), now(), '2025-01-20T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000003', 'Individual', 'Refused', 'DIV-2025-90003', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'C', 'InVitroDiagnostic', 'Urgent', '2025-02-12', '{}', now(), now(), '2025-02-05T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000004', 'Global', 'Granted', 'DGL-2025-90004', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'D', 'MedicalDevice', 'Planned', '2025-04-10', '{}', now(), now(), '2025-02-10T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000005', 'Individual', 'UnderReview', 'DIV-2025-90005', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'E', 'MedicalDevice', 'Planned', '2025-03-01', '{}', now(), now(), '2025-02-15T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000006', 'Individual', 'Submitted', 'DIV-2024-90006', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'F', 'MedicalDevice', 'Planned', '2025-01-01', '{}', now(), now(), '2024-12-20T09:00:00Z'),
              ('00000000-0000-0000-0000-000000000007', 'Individual', 'InformationRequested', 'DIV-2024-90007', '00000000-0000-0000-0000-0000000000aa', gen_random_uuid(), '00000000-0000-0000-0000-0000000000aa', 'G', 'MedicalDevice', 'Planned', '2025-01-01', '{}', now(), now(), '2024-12-21T09:00:00Z');

            -- The seconds the clock was stopped, as the signature keeps them: 2 days for B, 5 + 3 days for D.
            INSERT INTO decisions (id, application_id, outcome, reasons, conditions, signatory_user_id, signatory_name, signatory_title, version, decided_at, decided_by_user_id, other_recipients, clock_stopped_seconds)
            SELECT gen_random_uuid(), a.id, o.outcome, 'Motifs', '{}', gen_random_uuid(), 'Signataire', 'Directeur', 1, a.submitted_at + o.days * interval '1 day', gen_random_uuid(), '[]', o.stopped_days * 86400
            FROM applications a JOIN (VALUES ('DIV-2025-90001', 'Grant', 2, 0), ('DIV-2025-90002', 'Grant', 6, 2), ('DIV-2025-90003', 'Refuse', 10, 0), ('DGL-2025-90004', 'Grant', 30, 8))
                AS o(reference, outcome, days, stopped_days) ON o.reference = a.reference;

            INSERT INTO information_requests (id, application_id, round, message, amendable_sections, requested_at, requested_by_user_id, answered_at, cancelled_at, answer_deadline, after_decision)
            VALUES
              (gen_random_uuid(), '00000000-0000-0000-0000-000000000002', 1, 'Q', '{}', '2025-01-21T09:00:00Z', gen_random_uuid(), '2025-01-23T09:00:00Z', NULL, '2025-01-30', false),
              (gen_random_uuid(), '00000000-0000-0000-0000-000000000004', 1, 'Q', '{}', '2025-02-11T09:00:00Z', gen_random_uuid(), '2025-02-16T09:00:00Z', NULL, '2025-03-01', false),
              (gen_random_uuid(), '00000000-0000-0000-0000-000000000004', 2, 'Q', '{}', '2025-02-20T09:00:00Z', gen_random_uuid(), '2025-02-23T09:00:00Z', NULL, '2025-03-10', false),
              (gen_random_uuid(), '00000000-0000-0000-0000-000000000005', 1, 'Q', '{}', '2025-02-16T09:00:00Z', gen_random_uuid(), NULL, '2025-02-17T09:00:00Z', '2025-03-10', false);
            """;
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public void TheClockStopKeptAtSignature_CountsEachRequestUntilItsAnswerItsCancellationOrTheDecision()
    {
        var filed = new DateTimeOffset(2025, 1, 10, 9, 0, 0, TimeSpan.Zero);
        var decided = filed.AddDays(20);
        Derogation.Core.Review.InformationRequest Request(int from, int? answered = null, int? cancelled = null, bool afterDecision = false) => new()
        {
            Message = "Q", RequestedAt = filed.AddDays(from), AnsweredAt = answered is { } a ? filed.AddDays(a) : null,
            CancelledAt = cancelled is { } c ? filed.AddDays(c) : null, AfterDecision = afterDecision,
        };

        Assert.Equal(0, Derogation.Core.Review.ClockStop.StoppedSeconds([], decided));
        // Answered after 2 days, cancelled after 1, still open at the decision (closed by it): 2 + 1 + 3 days.
        Assert.Equal(6 * 86400, Derogation.Core.Review.ClockStop.StoppedSeconds(
            [Request(1, answered: 3), Request(5, cancelled: 6), Request(17), Request(25, afterDecision: true), Request(3, afterDecision: true)], decided));
    }
}
