using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Accounts;

/// <summary>
/// Development only: demo organisations and accounts with fixed addresses, so scripts and newcomers can rely
/// on them (listed in the README and printed at start-up). Never seeded in any other environment.
/// </summary>
internal static class DemoData
{
    public const string Password = "Demo-Derogation-2026!";

    public static readonly IReadOnlyList<(string Email, string Description)> Accounts =
    [
        ("fabricant@demo.test", "fabricant / manufacturer — Demo MedTech GmbH"),
        ("consultant@demo.test", "consultant — Conseil Réglementaire Démo SAS (mandat de Demo MedTech)"),
        ("fabricant2@demo.test", "second fabricant sans mandat / second manufacturer, no mandate — Second Fabricant Démo SA"),
        ("evaluateur@demo.test", "évaluateur ANSM / ANSM reviewer"),
        ("signataire@demo.test", "signataire ANSM / ANSM signatory"),
        ("referent@demo.test", "évaluateur référent / senior reviewer"),
        ("admin@demo.test", "administrateur / administrator"),
        ("expert@demo.test", "expert ANSM (avis uniquement) / ANSM expert (opinions only)"),
    ];

    private static readonly Guid ManufacturerId = new("d3e00000-0000-4000-8000-000000000001");
    private static readonly Guid ConsultancyId = new("d3e00000-0000-4000-8000-000000000002");
    private static readonly Guid SecondManufacturerId = new("d3e00000-0000-4000-8000-000000000003");

    public static async Task SeedAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<DerogationDbContext>();
        var users = services.GetRequiredService<UserManager<PortalUser>>();
        var clock = services.GetRequiredService<TimeProvider>();
        if (await users.FindByEmailAsync("fabricant@demo.test") is not null)
        {
            // Accounts added to the demo after a development database was first seeded.
            if (await users.FindByEmailAsync("referent@demo.test") is null)
            {
                await CreateAsync(services.GetRequiredService<AccountService>(), AccountService.AnsmOrganisationId, "Marc Lefèvre", "referent@demo.test", Roles.SeniorReviewer, admin: false);
            }

            return;
        }

        db.Organisations.AddRange(
            new Organisation { Id = ManufacturerId, Kind = OrganisationKind.Manufacturer, LegalName = "Demo MedTech GmbH", Address = "Musterstraße 1, 10115 Berlin", Country = "Allemagne", EudamedSrn = "DE-MF-000012345", CreatedAt = clock.GetUtcNow(), VerifiedAt = clock.GetUtcNow() },
            new Organisation { Id = ConsultancyId, Kind = OrganisationKind.Consultancy, LegalName = "Conseil Réglementaire Démo SAS", Address = "1 rue de la Paix, 75002 Paris", Country = "France", CreatedAt = clock.GetUtcNow(), VerifiedAt = clock.GetUtcNow() },
            new Organisation { Id = SecondManufacturerId, Kind = OrganisationKind.Manufacturer, LegalName = "Second Fabricant Démo SA", Address = "Rue Royale 10, 1000 Bruxelles", Country = "Belgique", CreatedAt = clock.GetUtcNow() });
        await db.SaveChangesAsync();

        var accounts = services.GetRequiredService<AccountService>();
        var manufacturer = await CreateAsync(accounts, ManufacturerId, "Anna Becker", "fabricant@demo.test", Roles.Manufacturer, admin: true);
        await CreateAsync(accounts, ConsultancyId, "Claire Moreau", "consultant@demo.test", Roles.Consultant, admin: true);
        await CreateAsync(accounts, SecondManufacturerId, "Luc Janssens", "fabricant2@demo.test", Roles.Manufacturer, admin: true);
        await CreateAsync(accounts, AccountService.AnsmOrganisationId, "Éva Durand", "evaluateur@demo.test", Roles.Reviewer, admin: false);
        await CreateAsync(accounts, AccountService.AnsmOrganisationId, "Marc Lefèvre", "referent@demo.test", Roles.SeniorReviewer, admin: false);
        var signatory = await CreateAsync(accounts, AccountService.AnsmOrganisationId, "Samuel Girard", "signataire@demo.test", Roles.Signatory, admin: false);
        signatory.JobTitle = "Directeur des dispositifs médicaux et des dispositifs de diagnostic in vitro";
        await CreateAsync(accounts, AccountService.AnsmOrganisationId, "Alice Admin", "admin@demo.test", Roles.Administrator, admin: false);
        await CreateAsync(accounts, AccountService.AnsmOrganisationId, "Dr Hélène Roux", "expert@demo.test", Roles.Expert, admin: false);
        await db.SaveChangesAsync();

        var mandates = services.GetRequiredService<MandateService>();
        await mandates.GrantAsync(ManufacturerId, ConsultancyId, mandates.Today.AddDays(-30), mandates.Today.AddYears(1), null, manufacturer.Id);
    }

    private static async Task<PortalUser> CreateAsync(AccountService accounts, Guid organisationId, string fullName, string email, string role, bool admin)
    {
        var result = await accounts.CreateUserAsync(organisationId, fullName, email, Password, role, admin, emailConfirmed: true);
        return result.User ?? throw new InvalidOperationException($"Demo account not created: {result.Error}");
    }
}
