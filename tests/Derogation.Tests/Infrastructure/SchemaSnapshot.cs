using Npgsql;

namespace Derogation.Tests.Infrastructure;

/// <summary>
/// Everything about a database's schema that must agree between the migrations and the EF model: tables,
/// columns (type, length, nullability, default, identity), keys, foreign keys, unique and check constraints,
/// and indexes — one comparable line each. The migrations' own bookkeeping table is left out.
/// </summary>
public static class SchemaSnapshot
{
    public static async Task<IReadOnlyList<string>> ReadAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var lines = new List<string>();
        await ReadAsync(connection, lines, """
            SELECT 'column ' || table_name || '.' || column_name || ' ' || udt_name
                   || coalesce('(' || character_maximum_length || ')', '')
                   || coalesce('(' || numeric_precision || ',' || numeric_scale || ')', '')
                   || CASE WHEN is_nullable = 'YES' THEN ' null' ELSE ' not null' END
                   || coalesce(' default ' || column_default, '')
                   || CASE WHEN is_identity = 'YES' THEN ' identity ' || identity_generation ELSE '' END
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> 'schema_migrations'
            """);
        await ReadAsync(connection, lines, """
            SELECT 'constraint ' || conrelid::regclass::text || ' ' || conname || ' ' || pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'
            """);
        await ReadAsync(connection, lines, """
            SELECT 'index ' || indexdef FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> 'schema_migrations'
            """);
        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    private static async Task ReadAsync(NpgsqlConnection connection, List<string> lines, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
    }
}
