using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

/// <summary>
/// Who sees which application (docs/domain.md §2): a manufacturer sees what it files and, from submission on, what
/// is filed for it; a consultancy sees what it filed; drafts stay with the organisation that created them;
/// ANSM never sees drafts. Anything else answers 404, like an address that does not exist.
/// </summary>
public sealed class ApplicationVisibilityTests(ApplicationVisibilityTests.World world) : IClassFixture<ApplicationVisibilityTests.World>
{
    public enum Who
    {
        Manufacturer,
        ManufacturerColleague,
        SecondManufacturer,
        MandatedConsultant,
        ConsultantWithoutMandate,
        Reviewer,
    }

    public enum Case
    {
        ManufacturerDraft,
        ConsultantDraftForManufacturer,
        ConsultantSubmittedForManufacturer,
        ManufacturerSubmitted,
    }

    public sealed class World : PortalFactory
    {
        private readonly SemaphoreSlim _once = new(1, 1);
        private Dictionary<Who, TestUser>? _users;

        public Dictionary<Case, Application> Applications { get; } = [];

        public async Task<Dictionary<Who, TestUser>> UsersAsync()
        {
            await _once.WaitAsync();
            try
            {
                return _users ??= await SeedAsync();
            }
            finally
            {
                _once.Release();
            }
        }

        private async Task<Dictionary<Who, TestUser>> SeedAsync()
        {
            var manufacturer = await CreateUserAsync(Roles.Manufacturer);
            var users = new Dictionary<Who, TestUser>
            {
                [Who.Manufacturer] = manufacturer,
                [Who.ManufacturerColleague] = await CreateUserAsync(Roles.Manufacturer, organisationAdministrator: false, organisationId: manufacturer.OrganisationId),
                [Who.SecondManufacturer] = await CreateUserAsync(Roles.Manufacturer),
                [Who.MandatedConsultant] = await CreateUserAsync(Roles.Consultant),
                [Who.ConsultantWithoutMandate] = await CreateUserAsync(Roles.Consultant),
                [Who.Reviewer] = await CreateUserAsync(Roles.Reviewer),
            };
            await using var scope = Services.CreateAsyncScope();
            var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, users[Who.MandatedConsultant].OrganisationId, mandates.Today, null, null, manufacturer.Id);

            var consultancy = users[Who.MandatedConsultant];
            Applications[Case.ManufacturerDraft] = New(ApplicationKind.Individual, manufacturer, manufacturer.OrganisationId, null);
            Applications[Case.ConsultantDraftForManufacturer] = New(ApplicationKind.Individual, consultancy, manufacturer.OrganisationId, null);
            Applications[Case.ConsultantSubmittedForManufacturer] = New(ApplicationKind.Individual, consultancy, manufacturer.OrganisationId, $"DIV-2026-{Random.Shared.Next(10000, 99999)}");
            Applications[Case.ManufacturerSubmitted] = New(ApplicationKind.Global, manufacturer, manufacturer.OrganisationId, $"DGL-2026-{Random.Shared.Next(10000, 99999)}");
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            db.Applications.AddRange(Applications.Values);
            await db.SaveChangesAsync();
            return users;
        }

        private static Application New(ApplicationKind kind, TestUser filer, Guid manufacturerId, string? reference) => new()
        {
            Id = Guid.NewGuid(),
            Kind = kind,
            Status = reference is null ? ApplicationStatus.Draft : ApplicationStatus.Submitted,
            Reference = reference,
            FilingOrganisationId = filer.OrganisationId,
            CreatedByUserId = filer.Id,
            ManufacturerId = manufacturerId,
            DeviceName = $"Dispositif {Guid.NewGuid():N}"[..24],
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
            SubmittedAt = reference is null ? null : DateTimeOffset.UtcNow,
        };
    }

    private static readonly Dictionary<Case, Who[]> SeenBy = new()
    {
        [Case.ManufacturerDraft] = [Who.Manufacturer, Who.ManufacturerColleague],
        [Case.ConsultantDraftForManufacturer] = [Who.MandatedConsultant],
        [Case.ConsultantSubmittedForManufacturer] = [Who.MandatedConsultant, Who.Manufacturer, Who.ManufacturerColleague],
        [Case.ManufacturerSubmitted] = [Who.Manufacturer, Who.ManufacturerColleague],
    };

    public static TheoryData<Case, Who> Everything()
    {
        var data = new TheoryData<Case, Who>();
        foreach (var @case in Enum.GetValues<Case>())
        {
            foreach (var who in Enum.GetValues<Who>())
            {
                data.Add(@case, who);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Everything))]
    public async Task ApplicationPage_OpensOnlyForWhoMaySeeIt(Case @case, Who who)
    {
        var users = await world.UsersAsync();
        var application = world.Applications[@case];
        var client = await world.CreateClientForAsync(users[who]);

        // By reference once submitted, by id while a draft; guessing the other form finds nothing either.
        var response = await client.GetAsync($"/demandes/{application.Reference ?? application.Id.ToString()}");
        var expected = SeenBy[@case].Contains(who) ? HttpStatusCode.OK : HttpStatusCode.NotFound;
        Assert.Equal(expected, response.StatusCode);
        if (application.Reference is not null)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{application.Id}")).StatusCode);
        }

        var list = await Html.ParseAsync(await client.GetAsync("/demandes"));
        var listed = list.QuerySelectorAll("tbody td").Any(td => td.TextContent.Trim() == application.DeviceName);
        Assert.Equal(who != Who.Reviewer && SeenBy[@case].Contains(who), listed);
    }

    /// <summary>The API's list is written in SQL (one statement with its total): it must list exactly what VisibleTo allows.</summary>
    [Theory]
    [InlineData(Who.Manufacturer, OrganisationKind.Manufacturer)]
    [InlineData(Who.SecondManufacturer, OrganisationKind.Manufacturer)]
    [InlineData(Who.MandatedConsultant, OrganisationKind.Consultancy)]
    [InlineData(Who.ConsultantWithoutMandate, OrganisationKind.Consultancy)]
    [InlineData(Who.MandatedConsultant, OrganisationKind.Importer)]
    [InlineData(Who.Reviewer, OrganisationKind.Ansm)]
    public async Task TheApiList_ListsExactlyWhatTheViewerMaySee_WithItsTotal(Who who, OrganisationKind kind)
    {
        var users = await world.UsersAsync();
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var viewer = new Viewer(users[who].Id, users[who].OrganisationId, kind);

        foreach (var status in new ApplicationStatus?[] { null, ApplicationStatus.Draft, ApplicationStatus.Submitted })
        {
            var allowed = db.Applications.VisibleTo(viewer).Where(a => status == null || a.Status == status);
            var expected = await allowed.OrderByDescending(a => a.UpdatedAt).ThenBy(a => a.Id).Select(a => a.Id).ToListAsync();

            var (total, items) = await db.PageAsync(viewer, 1, ApiPageSize, status);
            Assert.Equal(expected.Take(ApiPageSize), items.Select(i => i.Id));
            Assert.Equal(expected.Count, total);
            // A page past the end lists nothing and still tells the total.
            var (totalPastTheEnd, none) = await db.PageAsync(viewer, 1000, ApiPageSize, status);
            Assert.Empty(none);
            Assert.Equal(expected.Count, totalPastTheEnd);
        }
    }

    private const int ApiPageSize = 500;

    [Fact]
    public async Task Ansm_SeesSubmittedApplications_NeverDrafts()
    {
        var users = await world.UsersAsync();
        await using var scope = world.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var seen = await db.Applications.VisibleTo(new Viewer(users[Who.Reviewer].Id, users[Who.Reviewer].OrganisationId, OrganisationKind.Ansm))
            .Select(a => a.Id).ToListAsync();

        Assert.Contains(world.Applications[Case.ConsultantSubmittedForManufacturer].Id, seen);
        Assert.Contains(world.Applications[Case.ManufacturerSubmitted].Id, seen);
        Assert.DoesNotContain(world.Applications[Case.ManufacturerDraft].Id, seen);
        Assert.DoesNotContain(world.Applications[Case.ConsultantDraftForManufacturer].Id, seen);
    }

    [Fact]
    public async Task RevokedMandate_TheConsultancyKeepsWhatItFiled_AndCanNoLongerFileForTheManufacturer()
    {
        var users = await world.UsersAsync();
        var consultancy = users[Who.MandatedConsultant].OrganisationId;
        await using var scope = world.Services.CreateAsyncScope();
        var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var viewer = new Viewer(users[Who.MandatedConsultant].Id, consultancy, OrganisationKind.Consultancy);
        var before = await db.Applications.VisibleTo(viewer).Select(a => a.Id).ToListAsync();

        var mandate = await db.Mandates.SingleAsync(m => m.ConsultancyId == consultancy && m.Status == MandateStatus.Active);
        await mandates.RevokeAsync(mandate.Id, users[Who.Manufacturer].OrganisationId, users[Who.Manufacturer].Id);

        Assert.Empty(await mandates.ManufacturersInForceAsync(consultancy));
        Assert.Equal(before, await db.Applications.VisibleTo(viewer).Select(a => a.Id).ToListAsync());
        // And nobody else's application ever appears for it.
        Assert.All(await db.Applications.VisibleTo(viewer).ToListAsync(), a => Assert.Equal(consultancy, a.FilingOrganisationId));
    }
}
