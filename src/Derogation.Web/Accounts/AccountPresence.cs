using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Derogation.Web.Accounts;

/// <summary>
/// Is this session still good? Every signed-in request compares the security stamp its cookie carries with the
/// account's stamp in the database: a removed member (no account), a sign-out, a password reset or a new
/// authenticator (each changes the stamp) end every session of that account at once, on every instance — a copied
/// cookie replayed after sign-out opens nothing. The stamp is remembered for <see cref="Remember"/>, because asking
/// the database on every request was a sixth of the portal's CPU when saving wizard steps (docs/performance.md); this
/// instance forgets it at once when it changes the stamp itself, another instance within that delay.
/// </summary>
public sealed class AccountPresence(IMemoryCache cache, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(2);

    /// <summary>True when the account exists and its stamp is the one the session was issued with.</summary>
    public async Task<bool> IsCurrentAsync(Guid userId, string? stampInCookie)
    {
        // A remembered stamp that matches is trusted; one that does not is read again (a session issued since the
        // stamp changed, e.g. on another instance, must not be refused on an old memory).
        if (cache.TryGetValue(Key(userId), out string? remembered) && string.Equals(remembered, stampInCookie, StringComparison.Ordinal))
        {
            return true;
        }

        await using var scope = scopes.CreateAsyncScope();
        var stamp = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Users.AsNoTracking()
            .Where(u => u.Id == userId).Select(u => u.SecurityStamp ?? "").SingleOrDefaultAsync();
        if (stamp is null)
        {
            cache.Remove(Key(userId));
            return false;
        }

        cache.Set(Key(userId), stamp, Remember);
        return string.Equals(stamp, stampInCookie, StringComparison.Ordinal);
    }

    public void Forget(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => $"account-stamp:{userId}";
}
