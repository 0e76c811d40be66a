using System.Net;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>
/// The manufacturer declares the uses of a granted derogation — year, establishment, patients, nothing identifying —
/// against the decision's maximum; the case file shows used / authorised.
/// </summary>
public sealed class UsageDeclarationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Manufacturer, HttpClient Reviewer)> GrantedWithMaximumAsync(int maximum)
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(manufacturer);
        var (reviewer, _) = await portal.GrantAsync(reference, new Dictionary<string, string>
        {
            ["Conditions.ValidFrom"] = $"{DateTime.Today.Year}-01-01", ["Conditions.ValidUntil"] = $"{DateTime.Today.Year + 1}-06-30", ["Conditions.MaxPatients"] = maximum.ToString(),
        });
        return (reference, id, manufacturer, reviewer);
    }

    private static Task<HttpResponseMessage> DeclareAsync(HttpClient client, string reference, string year, string establishment, string patients) =>
        client.SubmitAsync($"/demandes/{reference}/utilisation", new Dictionary<string, string> { ["Year"] = year, ["Establishment"] = establishment, ["Patients"] = patients });

    private async Task<int> DeclaredAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().UsageDeclarations.Where(u => u.ApplicationId == id).SumAsync(u => u.Patients);
    }

    [Fact]
    public async Task Uses_AreCountedAgainstTheMaximum_ShownOnTheCaseFile_AndOneBeyondItIsRefusedWithTheWayForward()
    {
        var (reference, id, manufacturer, reviewer) = await GrantedWithMaximumAsync(10);
        var year = DateTime.Today.Year.ToString();

        Assert.Equal(HttpStatusCode.Redirect, (await DeclareAsync(manufacturer, reference, year, "CHU de Lyon", "4")).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await DeclareAsync(manufacturer, reference, year, "CHU de Bordeaux", "3")).StatusCode);
        var page = await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}/utilisation"));
        Assert.Equal("7 patient(s) déclaré(s) sur 10 autorisé(s) par la décision.", page.Text("#utilisation-total"));
        Assert.Equal(2, page.QuerySelectorAll("#utilisations tbody tr").Length);

        var refused = await DeclareAsync(manufacturer, reference, year, "CHU de Nantes", "4");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusedPage = await Html.ParseAsync(refused);
        Assert.Equal("Nombre de patients : la décision autorise 10 patient(s) au plus et 7 sont déjà déclaré(s). Pour aller au-delà, demandez à l'ANSM une modification des conditions de la dérogation.",
            refusedPage.Text("#Patients-messages"));
        Assert.Equal("CHU de Nantes", refusedPage.QuerySelector("#Establishment")!.GetAttribute("value"));
        Assert.Equal(7, await DeclaredAsync(id));

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("7 patient(s) déclaré(s) sur 10 autorisé(s) par la décision.", caseFile.Text("#utilisation-total"));
    }

    [Fact]
    public async Task ADeclaration_NamesNobody_HasAPlausibleYear_AndNobodyElseDeclaresForTheManufacturer()
    {
        var (reference, id, manufacturer, _) = await GrantedWithMaximumAsync(50);
        var year = DateTime.Today.Year.ToString();

        var named = await Html.ParseAsync(await DeclareAsync(manufacturer, reference, year, "Service de Mme Martin", "1"));
        Assert.StartsWith("Établissement :", named.Text("#Establishment-messages"), StringComparison.Ordinal);
        var future = await Html.ParseAsync(await DeclareAsync(manufacturer, reference, (DateTime.Today.Year + 1).ToString(), "CHU de Lyon", "1"));
        Assert.Equal("Année d'utilisation : indiquez une année entre celle de la décision et l'année en cours.", future.Text("#Year-messages"));
        var none = await Html.ParseAsync(await DeclareAsync(manufacturer, reference, year, "CHU de Lyon", "0"));
        Assert.Equal("Nombre de patients : indiquez un nombre entier, au moins 1.", none.Text("#Patients-messages"));

        // Another manufacturer, posting directly with a valid form of its own: not found, nothing counted.
        var other = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var token = (await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}/utilisation"))).QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/demandes/{reference}/utilisation")).StatusCode);
        var forged = await other.PostAsync($"/demandes/{reference}/utilisation", new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = token, ["Year"] = year, ["Establishment"] = "CHU de Lyon", ["Patients"] = "5" }));
        Assert.NotEqual(HttpStatusCode.Redirect, forged.StatusCode);
        Assert.Equal(0, await DeclaredAsync(id));

        // Not granted: no declaration at all.
        var (submitted, _) = await Filing.SubmitGlobalAsync(manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturer.GetAsync($"/demandes/{submitted}/utilisation")).StatusCode);
    }
}
