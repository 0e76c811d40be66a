using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Accounts;

/// <summary>
/// A personal access token for the API: it acts as the user who created it, within their organisation, read-only or
/// read-write, until it expires or is revoked. Only its SHA-256 is stored; the secret is shown once.
/// </summary>
public sealed class ApiToken
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public Guid UserId { get; set; }
    public required string Name { get; set; }
    public bool CanWrite { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>The secret's first characters, to tell tokens apart on the page (never enough to use one).</summary>
    public required string TokenPrefix { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public DateTimeOffset? LastUsedAt { get; set; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && ExpiresAt > now;
}

internal sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> builder)
    {
        builder.ToTable("api_tokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Name).HasMaxLength(ApiTokens.MaxNameLength);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.Property(t => t.TokenPrefix).HasMaxLength(12);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => t.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(t => t.OrganisationId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public enum ApiTokenError
{
    None,
    NameMissing,
    NameTooLong,
    ExpiryMissing,
    ExpiryNotInFuture,
    ExpiryTooFar,
}

/// <summary>Who an API request acts as, once its token is checked.</summary>
public sealed record ApiCaller(Guid TokenId, Guid UserId, Guid OrganisationId, OrganisationKind OrganisationKind, bool CanWrite, IReadOnlyList<string> Roles);

/// <summary>Creating, listing, revoking and checking personal access tokens (docs/api.md).</summary>
public sealed class ApiTokens(DerogationDbContext db, TimeProvider clock, ApiCallerMemory? memory = null)
{
    public const string Prefix = "dgt_";
    public const int MaxNameLength = 100;
    /// <summary>A token lives at most a year: a forgotten one stops by itself.</summary>
    public const int MaxDays = 366;

    public async Task<(ApiTokenError Error, string? Secret)> CreateAsync(Guid userId, Guid organisationId, string? name, bool canWrite, DateOnly? expiresOn)
    {
        var today = FrenchTime.Today(clock);
        var error = string.IsNullOrWhiteSpace(name) ? ApiTokenError.NameMissing
            : name.Trim().Length > MaxNameLength ? ApiTokenError.NameTooLong
            : expiresOn is null ? ApiTokenError.ExpiryMissing
            : expiresOn <= today ? ApiTokenError.ExpiryNotInFuture
            : expiresOn > today.AddDays(MaxDays) ? ApiTokenError.ExpiryTooFar
            : ApiTokenError.None;
        if (error != ApiTokenError.None)
        {
            return (error, null);
        }

        var secret = Prefix + SecretTokens.New();
        var token = new ApiToken
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            UserId = userId,
            Name = name!.Trim(),
            CanWrite = canWrite,
            TokenHash = SecretTokens.Hash(secret),
            TokenPrefix = secret[..10],
            CreatedAt = clock.GetUtcNow(),
            // Valid through the chosen day, Paris time.
            ExpiresAt = FrenchTime.StartOfDay(expiresOn!.Value.AddDays(1)),
        };
        db.ApiTokens.Add(token);
        db.Record(clock, AuditActions.ApiTokenCreated, userId, nameof(ApiToken), token.Id.ToString(), canWrite ? "write" : "read");
        await db.SaveChangesAsync();
        return (ApiTokenError.None, secret);
    }

    /// <summary>The user's own tokens, newest first (an organisation's tokens are each their creator's).</summary>
    public Task<List<ApiToken>> ForUserAsync(Guid userId) =>
        db.ApiTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt).ToListAsync();

    public async Task<bool> RevokeAsync(Guid tokenId, Guid userId)
    {
        var token = await db.ApiTokens.SingleOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId);
        if (token is null)
        {
            return false;
        }

        if (token.RevokedAt is null)
        {
            token.RevokedAt = clock.GetUtcNow();
            db.Record(clock, AuditActions.ApiTokenRevoked, userId, nameof(ApiToken), token.Id.ToString());
            await db.SaveChangesAsync();
        }

        return true;
    }

    /// <summary>
    /// The caller a presented secret stands for, or null: unknown, revoked, expired, or its user no longer in the
    /// organisation (or locked out). Read in one query, remembered a few seconds (<see cref="ApiCallerMemory"/>); the
    /// last use is recorded at most once a minute.
    /// </summary>
    public async Task<ApiCaller?> AuthenticateAsync(string secret)
    {
        if (!secret.StartsWith(Prefix, StringComparison.Ordinal) || secret.Length > 100)
        {
            return null;
        }

        var hash = SecretTokens.Hash(secret);
        var now = clock.GetUtcNow();
        var database = memory is null ? null : db.Database.GetConnectionString();
        if (memory?.Recall(hash, now, database) is { } remembered)
        {
            return remembered;
        }

        var changes = ApiCallerMemory.Changes(database);
        var found = await (
            from token in db.ApiTokens
            join user in db.Users on token.UserId equals user.Id
            join organisation in db.Organisations on user.OrganisationId equals organisation.Id
            where token.TokenHash == hash && token.RevokedAt == null && token.ExpiresAt > now
                && user.OrganisationId == token.OrganisationId && (user.LockoutEnd == null || user.LockoutEnd < now)
            select new
            {
                token.Id, token.UserId, token.OrganisationId, organisation.Kind, token.CanWrite, token.LastUsedAt, token.ExpiresAt,
                Roles = (from userRole in db.UserRoles join role in db.Roles on userRole.RoleId equals role.Id where userRole.UserId == user.Id select role.Name!).ToList(),
            }).SingleOrDefaultAsync();
        if (found is null)
        {
            return null;
        }

        if (found.LastUsedAt is null || found.LastUsedAt < now.AddMinutes(-1))
        {
            await db.ApiTokens.Where(t => t.Id == found.Id).ExecuteUpdateAsync(t => t.SetProperty(x => x.LastUsedAt, now));
        }

        var caller = new ApiCaller(found.Id, found.UserId, found.OrganisationId, found.Kind, found.CanWrite, found.Roles);
        memory?.Remember(hash, caller, found.ExpiresAt, changes);
        return caller;
    }
}
