using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Review;

/// <summary>
/// What decisions share: the verification code, the title printed under a signatory's name, who may sign. Taking
/// a decision is a proposal signed by a signatory (<see cref="Proposals"/>).
/// </summary>
public sealed class DecisionService(DerogationDbContext db, UserManager<PortalUser> users)
{
    public const string DefaultSignatoryTitle = "Par délégation du directeur général de l'ANSM";

    /// <summary>16 characters from an alphabet without look-alikes (80 random bits), grouped by four for reading aloud.</summary>
    public static string NewVerificationCode()
    {
        const string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
        var bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(16);
        var characters = bytes.Select(b => alphabet[b % alphabet.Length]).ToArray();
        return string.Join("-", characters.Chunk(4).Select(chunk => new string(chunk)));
    }

    /// <summary>
    /// A code as a reader types it — lower case, without its dashes, with spaces — written as printed: four groups of
    /// four. Anything else is returned as typed (it will not be found).
    /// </summary>
    public static string NormaliseVerificationCode(string? typed)
    {
        var characters = new string((typed ?? "").Where(char.IsLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return characters.Length == 16 ? string.Join("-", characters.Chunk(4).Select(chunk => new string(chunk))) : (typed ?? "").Trim().ToUpperInvariant();
    }

    public Task<Decision?> ForAsync(Guid applicationId) =>
        db.Decisions.AsNoTracking().SingleOrDefaultAsync(d => d.ApplicationId == applicationId);

    public async Task<IReadOnlyList<PortalUser>> SignatoriesAsync() =>
        (await users.GetUsersInRoleAsync(Roles.Signatory)).OrderBy(u => u.FullName).ToList();
}
