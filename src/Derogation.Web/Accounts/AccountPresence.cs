using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Derogation.Web.Accounts;

/// <summary>
/// Does the signed-in account still exist? Checked on every request so that a removed member is signed out at
/// once; the answer is remembered for a few seconds because asking the database on every request was a sixth of
/// the portal's CPU when saving wizard steps (docs/performance.md). Removing a member forgets it here at once; on
/// another instance of the portal the removal takes effect within <see cref="Remember"/>.
/// </summary>
public sealed class AccountPresence(IMemoryCache cache, IServiceScopeFactory scopes)
{
    public static readonly TimeSpan Remember = TimeSpan.FromSeconds(30);

    public async Task<bool> ExistsAsync(Guid userId)
    {
        if (cache.TryGetValue(Key(userId), out bool exists))
        {
            return exists;
        }

        await using var scope = scopes.CreateAsyncScope();
        exists = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Users.AnyAsync(u => u.Id == userId);
        if (exists)
        {
            cache.Set(Key(userId), true, Remember);
        }

        return exists;
    }

    public void Forget(Guid userId) => cache.Remove(Key(userId));

    private static string Key(Guid userId) => $"account-exists:{userId}";
}
