using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Review;

/// <summary>The case file shows the earlier applications for the same device or from the same manufacturer (seed 003: repeated requests).</summary>
public sealed class EarlierApplicationsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task TheCaseFile_ListsEarlierApplications_ForTheSameDeviceOrManufacturer_WithWhatTheyHaveInCommon()
    {
        var manufacturerA = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var manufacturerB = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var manufacturerC = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (first, _) = await Filing.SubmitIndividualAsync(manufacturerA);
        var (otherMaker, _) = await Filing.SubmitIndividualAsync(manufacturerB, device: new()
        {
            ["Input.TradeName"] = "NeoPanel", ["Input.References"] = "NP-1", ["Input.UdiDi"] = "04012345678901",
        });
        var (unrelated, _) = await Filing.SubmitIndividualAsync(manufacturerC, device: new()
        {
            ["Input.TradeName"] = "Sans rapport", ["Input.References"] = "SR-9 ; SR-10",
        });
        // A draft is nobody's history.
        await Filing.IndividualReadyToSubmitAsync(manufacturerA);
        var (current, _) = await Filing.SubmitIndividualAsync(manufacturerA, device: new() { ["Input.UdiDi"] = "04012345678901" });

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{current}"));
        var rows = caseFile.QuerySelectorAll("#liste-demandes-anterieures tbody tr").ToList();
        Assert.Equal([otherMaker, first], rows.Select(r => r.QuerySelector("td a")!.TextContent.Trim()));
        Assert.Equal($"/instruction/{first}", rows[1].QuerySelector("td a")!.GetAttribute("href"));
        Assert.Equal("même IUD-ID", rows[0].QuerySelectorAll("td").Last().TextContent.Trim());
        Assert.Equal("même fabricant, même nom commercial, référence commune", rows[1].QuerySelectorAll("td").Last().TextContent.Trim());
        Assert.Contains("Déposée", rows[1].QuerySelectorAll("td")[4].TextContent, StringComparison.Ordinal);

        // Typed references are compared one by one, whatever the case and the separators.
        var (sameReference, _) = await Filing.SubmitIndividualAsync(manufacturerB, device: new() { ["Input.TradeName"] = "Autre", ["Input.References"] = "sr-10\nXX-1" });
        var referenceFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{sameReference}"));
        var referenceRows = referenceFile.QuerySelectorAll("#liste-demandes-anterieures tbody tr").ToList();
        Assert.Contains(referenceRows, r => r.QuerySelector("td a")!.TextContent.Trim() == unrelated && r.QuerySelectorAll("td").Last().TextContent.Trim() == "référence commune");

        // Another manufacturer's unrelated device: nothing in common.
        var (alone, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer), device: new() { ["Input.TradeName"] = "Unique", ["Input.References"] = "U-1" });
        var aloneFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{alone}"));
        Assert.Equal("Aucune demande antérieure pour ce dispositif (nom commercial, références, IUD-ID) ni pour ce fabricant.", aloneFile.Text("#aucune-demande-anterieure"));
    }
}
