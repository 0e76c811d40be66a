using Derogation.Core.Data;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Derogation.Bench;

/// <summary>A fresh local PostgreSQL for one run (durable settings, as in development), migrated by the portal's own scripts.</summary>
public sealed class BenchDatabase : IAsyncDisposable
{
    private readonly LocalPostgres _server;
    private readonly string _root;

    private BenchDatabase(LocalPostgres server, string root, string connectionString)
    {
        _server = server;
        _root = root;
        ConnectionString = connectionString;
    }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"derogation-bench-{Guid.NewGuid():N}");
        var server = LocalPostgres.Start(root, throwAway: false);
        var connectionString = await server.EnsureDatabaseAsync("bench");
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(connectionString);
        return new BenchDatabase(server, root, connectionString);
    }

    /// <summary>
    /// Applications spread over five years as a busy agency would hold them: most decided, a few hundred open,
    /// individual and global, MD and IVD, every urgency; then statistics, as autovacuum would gather them.
    /// </summary>
    public async Task SeedApplicationsAsync(int count)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        const string sql = """
            INSERT INTO organisations (id, kind, legal_name, address, country, created_at)
            SELECT gen_random_uuid(), 'Manufacturer', 'Fabricant ' || n || ' SAS', n || ' rue de l''Industrie, Lyon', 'France', now()
            FROM generate_series(1, 400) AS n;

            WITH manufacturers AS (
                SELECT id, row_number() OVER (ORDER BY id) AS rank FROM organisations WHERE kind = 'Manufacturer'
            ), counts AS (SELECT count(*) AS total FROM manufacturers)
            INSERT INTO applications (id, kind, status, reference, filing_organisation_id, created_by_user_id, manufacturer_id, device_name,
                                      legal_basis, urgency, target_date, answers, created_at, updated_at, submitted_at)
            SELECT gen_random_uuid(), kind, status, prefix || '-' || (2021 + n % 5) || '-' || lpad((n / 5 + 1)::text, 5, '0'),
                   m.id, gen_random_uuid(), m.id, 'Dispositif ' || (n % 5000) || ' modèle ' || (n % 37),
                   CASE WHEN n % 3 = 0 THEN 'InVitroDiagnostic' ELSE 'MedicalDevice' END,
                   CASE WHEN kind = 'Global' THEN 'Planned' WHEN n % 10 = 0 THEN 'VitalEmergency' WHEN n % 10 < 4 THEN 'Urgent' ELSE 'Planned' END,
                   (current_date - (n % 1800) + 30), '{}'::jsonb,
                   now() - (n % 1800) * interval '1 day', now() - (n % 1800) * interval '1 day', now() - (n % 1800) * interval '1 day'
            FROM (
                SELECT n,
                       CASE WHEN n % 7 = 0 THEN 'Global' ELSE 'Individual' END AS kind,
                       CASE WHEN n % 7 = 0 THEN 'DGL' ELSE 'DIV' END AS prefix,
                       CASE WHEN n % 100 < 3 THEN 'Submitted' WHEN n % 100 < 5 THEN 'UnderReview' WHEN n % 100 < 6 THEN 'InformationRequested'
                            WHEN n % 100 < 7 THEN 'WithdrawnByApplicant' WHEN n % 100 < 15 THEN 'Refused' WHEN n % 100 < 18 THEN 'Closed'
                            ELSE 'Granted' END AS status
                FROM generate_series(1, @count) AS n
            ) AS generated
            JOIN manufacturers m ON m.rank = 1 + generated.n % (SELECT total FROM counts);

            -- One application in five had an information request (answered four days later); decided ones have their
            -- decision (2 to 41 days after filing) with the seconds the clock was stopped, as the signature keeps them.
            INSERT INTO information_requests (id, application_id, round, message, amendable_sections, requested_at, requested_by_user_id,
                                              answered_at, after_decision)
            SELECT gen_random_uuid(), a.id, 1, 'Précisez les données de sécurité.', '{}', a.submitted_at + interval '1 day', gen_random_uuid(),
                   a.submitted_at + interval '5 days', false
            FROM applications a WHERE abs(hashtext(a.reference)) % 5 = 0;

            INSERT INTO decisions (id, application_id, outcome, reasons, conditions, signatory_user_id, signatory_name, signatory_title, version,
                                   decided_at, decided_by_user_id, other_recipients, clock_stopped_seconds)
            SELECT gen_random_uuid(), a.id,
                   CASE a.status WHEN 'Granted' THEN 'Grant' WHEN 'Refused' THEN 'Refuse' ELSE 'CloseWithoutDecision' END,
                   'Considérant le dossier.', '{}'::jsonb, gen_random_uuid(), 'Signataire', 'Directeur', 1,
                   a.submitted_at + (2 + abs(hashtext(a.reference)) % 40) * interval '1 day', gen_random_uuid(), '[]'::jsonb,
                   CASE WHEN abs(hashtext(a.reference)) % 5 = 0 THEN least(4, 1 + abs(hashtext(a.reference)) % 40) * 86400 ELSE 0 END
            FROM applications a WHERE a.status IN ('Granted', 'Refused', 'Closed');

            ANALYZE;
            """;
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        command.Parameters.AddWithValue("count", count);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// What autovacuum and the checkpointer would have done by then on a real server: the scenarios before (saving the
    /// same drafts some 100,000 times, the two-instance row) leave dead row versions and dirty pages that made the next
    /// scenario's own SQL floor five times slower in a full run than alone.
    /// </summary>
    public async Task SettleAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        foreach (var sql in new[] { "VACUUM (ANALYZE) applications", "CHECKPOINT" })
        {
            await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _server.Dispose();
        await Task.Run(() =>
        {
            try
            {
                Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // Left for the next run's clean-up of abandoned folders.
            }
        });
    }
}
