using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Npgsql;

namespace Derogation.Tests.Review;

/// <summary>
/// The banner's count of untaken vital emergencies is remembered per instance (here for an hour, to see it without
/// waiting): a change another instance makes shows only when the memory ends, a change saved through this instance
/// shows at once.
/// </summary>
public sealed class VitalEmergencyBannerTests(VitalEmergencyBannerTests.RememberingPortal portal) : IClassFixture<VitalEmergencyBannerTests.RememberingPortal>
{
    public sealed class RememberingPortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("ReviewAlerts:BannerCountSeconds", "3600");
        }
    }

    [Fact]
    public async Task TheCount_IsRemembered_AndForgottenAtOnceWhenThisInstanceSavesAChange()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (first, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("VitalEmergency"));
        var (second, _) = await Filing.SubmitIndividualAsync(applicant, Filing.PatientWithUrgency("VitalEmergency"));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        Assert.StartsWith("2 urgence(s) vitale(s)", await BannerAsync(reviewer), StringComparison.Ordinal);

        // Taken on another instance: this one does not know, and shows the count it remembers.
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var take = new NpgsqlCommand("UPDATE applications SET assigned_reviewer_id = (SELECT id FROM users LIMIT 1) WHERE reference = @reference", connection);
            take.Parameters.AddWithValue("reference", first);
            Assert.Equal(1, await take.ExecuteNonQueryAsync());
        }

        Assert.StartsWith("2 urgence(s) vitale(s)", await BannerAsync(reviewer), StringComparison.Ordinal);

        // Taken through this instance: the count is read again on the next page, and both are now taken.
        await Filing.TakeAsync(reviewer, second);
        Assert.Null(await BannerAsync(reviewer));
    }

    private static async Task<string?> BannerAsync(HttpClient reviewer) =>
        (await Html.ParseAsync(await reviewer.GetAsync("/instruction"))).QuerySelector("#urgences-vitales .fr-notice__title")?.TextContent.Trim();
}
