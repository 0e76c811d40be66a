using System.Security.Cryptography;
using System.Text;

namespace Derogation.Core.Accounts;

/// <summary>
/// The secrets links carry (invitations, single-use letter links, the prescriber's link): 256 random bits, URL-safe;
/// only their SHA-256 is stored, so the database alone opens nothing.
/// </summary>
public static class SecretTokens
{
    public static string New() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
