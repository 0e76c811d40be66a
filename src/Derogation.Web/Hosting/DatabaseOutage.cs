using System.Net.Sockets;
using Npgsql;

namespace Derogation.Web.Hosting;

/// <summary>
/// Whether an exception means PostgreSQL cannot be reached or is not accepting connections (restarting, stopped,
/// failing over) — a passing outage the portal recovers from by itself — rather than a fault of the portal.
/// </summary>
internal static class DatabaseOutage
{
    public const int RetryAfterSeconds = 30;

    // Connection refused or cut, server shutting down or starting, not accepting connections, too many connections.
    private static readonly string[] OutageStates = ["57P01", "57P02", "57P03", "55000", "53300", "08000", "08001", "08003", "08004", "08006"];

    public static bool IsOutage(Exception? exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            switch (current)
            {
                case PostgresException postgres when OutageStates.Contains(postgres.SqlState):
                case NpgsqlException { InnerException: SocketException or TimeoutException or IOException }:
                case SocketException:
                    return true;
            }
        }

        return false;
    }
}
