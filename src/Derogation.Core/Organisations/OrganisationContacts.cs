using Derogation.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Organisations;

/// <summary>
/// Where an organisation is reached: its users with a confirmed address; while it has none — a manufacturer created
/// from a mandate letter that nobody has claimed yet — the regulatory contact named in that letter. Every copy meant
/// for "the manufacturer" goes through here, so that none is lost before the organisation is claimed.
/// </summary>
public static class OrganisationContacts
{
    public static async Task<List<string>> EmailsAsync(this DerogationDbContext db, params Guid?[] organisationIds)
    {
        var ids = organisationIds.Where(id => id is not null).Select(id => id!.Value).Distinct().ToList();
        var users = await db.Users.AsNoTracking()
            .Where(u => ids.Contains(u.OrganisationId) && u.EmailConfirmed && u.Email != null)
            .Select(u => new { u.OrganisationId, Email = u.Email! }).ToListAsync();
        var unclaimed = await UnclaimedContactsAsync(db, ids.Where(id => users.All(u => u.OrganisationId != id)).ToList());
        return users.Select(u => u.Email).Concat(unclaimed.Values)
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The contact address of each organisation that has no user at all (not even an unconfirmed one).</summary>
    public static async Task<Dictionary<Guid, string>> UnclaimedContactsAsync(this DerogationDbContext db, IReadOnlyCollection<Guid> organisationIds) =>
        organisationIds.Count == 0
            ? []
            : await db.Organisations.AsNoTracking()
                .Where(o => organisationIds.Contains(o.Id) && o.ContactEmail != null && !db.Users.Any(u => u.OrganisationId == o.Id))
                .ToDictionaryAsync(o => o.Id, o => o.ContactEmail!);
}
