using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Core.Accounts;

public enum AccountError
{
    None,
    DuplicateOrganisation,
    EmailTaken,
    PasswordRejected,
    InvitationInvalid,
    CannotRemoveYourself,
    NotAMember,
}

public sealed record AccountResult(AccountError Error, PortalUser? User = null, IReadOnlyList<IdentityError>? PasswordErrors = null)
{
    public bool Succeeded => Error == AccountError.None;
}

public sealed record OrganisationDetails(OrganisationKind Kind, string LegalName, string Address, string Country, string? EudamedSrn);

/// <summary>
/// Organisations and their members: self-registration of manufacturers and consultancies, invitations,
/// removal, and ANSM accounts (created by an administrator only, never by self-registration).
/// </summary>
public sealed class AccountService(DerogationDbContext db, UserManager<PortalUser> users, TimeProvider clock)
{
    /// <summary>The one ANSM organisation, created at start-up.</summary>
    public static readonly Guid AnsmOrganisationId = new("a45e0000-0000-4000-8000-000000000001");

    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    public async Task<AccountResult> RegisterOrganisationAsync(OrganisationDetails details, string fullName, string email, string password)
    {
        if (details.Kind == OrganisationKind.Ansm)
        {
            throw new InvalidOperationException("ANSM accounts are created by an administrator, never by self-registration.");
        }

        var legalName = details.LegalName.Trim();
        var country = details.Country.Trim();
        var duplicate = await db.Organisations.AnyAsync(o =>
            o.Kind == details.Kind && o.LegalName.ToLower() == legalName.ToLower() && o.Country.ToLower() == country.ToLower());
        if (duplicate)
        {
            return new AccountResult(AccountError.DuplicateOrganisation);
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return new AccountResult(AccountError.EmailTaken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var organisation = new Organisation
        {
            Id = Guid.NewGuid(),
            Kind = details.Kind,
            LegalName = legalName,
            Address = details.Address.Trim(),
            Country = country,
            EudamedSrn = string.IsNullOrWhiteSpace(details.EudamedSrn) ? null : details.EudamedSrn.Trim().ToUpperInvariant(),
            CreatedAt = clock.GetUtcNow(),
        };
        db.Organisations.Add(organisation);
        await db.SaveChangesAsync();

        // Importers and distributors file for a manufacturer under its mandate, as a consultancy does: same role.
        var role = details.Kind == OrganisationKind.Manufacturer ? Roles.Manufacturer : Roles.Consultant;
        var created = await CreateUserAsync(organisation.Id, fullName, email, password, role, isAdministrator: true, emailConfirmed: false);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync();
            return created;
        }

        db.Record(clock, AuditActions.OrganisationRegistered, created.User!.Id, nameof(Organisation), organisation.Id.ToString(), details.Kind.ToString());
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return created;
    }

    /// <summary>Invites someone to join <paramref name="organisationId"/>; returns the token to put in the e-mail's link.</summary>
    public async Task<string> InviteAsync(Guid organisationId, string email, string role, Guid invitedBy)
    {
        var token = SecretTokens.New();
        var invitation = new Invitation
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            Email = email.Trim(),
            TokenHash = Hash(token),
            Role = role,
            CreatedAt = clock.GetUtcNow(),
            ExpiresAt = clock.GetUtcNow() + InvitationLifetime,
            CreatedByUserId = invitedBy,
        };
        db.Invitations.Add(invitation);
        db.Record(clock, AuditActions.MemberInvited, invitedBy, nameof(Organisation), organisationId.ToString(), $"role={role}");
        await db.SaveChangesAsync();
        return token;
    }

    /// <summary>The invitation a link's token stands for, when it is unused and has not expired.</summary>
    public async Task<Invitation?> FindOpenInvitationAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token))
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        return await db.Invitations.SingleOrDefaultAsync(i => i.TokenHash == hash && i.AcceptedAt == null && i.ExpiresAt > now);
    }

    public async Task<AccountResult> AcceptInvitationAsync(string token, string fullName, string password)
    {
        var invitation = await FindOpenInvitationAsync(token);
        if (invitation is null)
        {
            return new AccountResult(AccountError.InvitationInvalid);
        }

        if (await users.FindByEmailAsync(invitation.Email) is not null)
        {
            return new AccountResult(AccountError.EmailTaken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        // An organisation created from a mandate letter has nobody yet: whoever claims it first administers it.
        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM organisations WHERE id = {invitation.OrganisationId} FOR UPDATE");
        var claims = !await db.Users.AnyAsync(u => u.OrganisationId == invitation.OrganisationId);
        // The invitation reached this address, so the address is confirmed.
        var created = await CreateUserAsync(invitation.OrganisationId, fullName, invitation.Email, password, invitation.Role, isAdministrator: claims, emailConfirmed: true);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync();
            return created;
        }

        invitation.AcceptedAt = clock.GetUtcNow();
        db.Record(clock, claims ? AuditActions.OrganisationClaimed : AuditActions.MemberJoined, created.User!.Id, nameof(Organisation), invitation.OrganisationId.ToString(), $"role={invitation.Role}");
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        return created;
    }

    public async Task<AccountResult> RemoveMemberAsync(Guid organisationId, Guid memberId, Guid removedBy)
    {
        if (memberId == removedBy)
        {
            return new AccountResult(AccountError.CannotRemoveYourself);
        }

        var member = await db.Users.SingleOrDefaultAsync(u => u.Id == memberId && u.OrganisationId == organisationId);
        if (member is null)
        {
            return new AccountResult(AccountError.NotAMember);
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        db.Record(clock, AuditActions.MemberRemoved, removedBy, nameof(Organisation), organisationId.ToString(), $"user={memberId}");
        await db.SaveChangesAsync();
        await users.DeleteAsync(member);
        await transaction.CommitAsync();
        return new AccountResult(AccountError.None, member);
    }

    public Task<List<PortalUser>> MembersAsync(Guid organisationId) =>
        db.Users.AsNoTracking().Where(u => u.OrganisationId == organisationId).OrderBy(u => u.FullName).ToListAsync();

    public Task<List<Invitation>> OpenInvitationsAsync(Guid organisationId)
    {
        var now = clock.GetUtcNow();
        return db.Invitations.AsNoTracking()
            .Where(i => i.OrganisationId == organisationId && i.AcceptedAt == null && i.ExpiresAt > now)
            .OrderBy(i => i.CreatedAt).ToListAsync();
    }

    /// <summary>Roles and the ANSM organisation exist in every environment; created once, at start-up.</summary>
    public static async Task EnsureReferenceDataAsync(DerogationDbContext db, RoleManager<IdentityRole<Guid>> roles, TimeProvider clock)
    {
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole<Guid>(role) { Id = Guid.NewGuid() });
            }
        }

        if (!await db.Organisations.AnyAsync(o => o.Id == AnsmOrganisationId))
        {
            db.Organisations.Add(new Organisation
            {
                Id = AnsmOrganisationId,
                Kind = OrganisationKind.Ansm,
                LegalName = "Agence nationale de sécurité du médicament et des produits de santé",
                Address = "143/147, boulevard Anatole France, F-93285 Saint-Denis Cedex",
                Country = "France",
                CreatedAt = clock.GetUtcNow(),
                VerifiedAt = clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        }
    }

    /// <summary>Creates a member directly (demo data, tests); pages go through registration or invitations.</summary>
    public async Task<AccountResult> CreateUserAsync(Guid organisationId, string fullName, string email, string password, string role, bool isAdministrator, bool emailConfirmed)
    {
        var user = new PortalUser
        {
            Id = Guid.NewGuid(),
            OrganisationId = organisationId,
            FullName = fullName.Trim(),
            UserName = email.Trim(),
            Email = email.Trim(),
            EmailConfirmed = emailConfirmed,
            IsOrganisationAdministrator = isAdministrator,
            CreatedAt = clock.GetUtcNow(),
        };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded)
        {
            return result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName")
                ? new AccountResult(AccountError.EmailTaken)
                : new AccountResult(AccountError.PasswordRejected, PasswordErrors: result.Errors.ToList());
        }

        await users.AddToRoleAsync(user, role);
        db.Record(clock, AuditActions.RoleGranted, user.Id, "User", user.Id.ToString(), $"role={role}");
        return new AccountResult(AccountError.None, user);
    }

    private static string Hash(string token) => SecretTokens.Hash(token);
}
