using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Applications;

/// <summary>After submitting, the filer re-reads what ANSM received — each version — and downloads the documents filed.</summary>
public sealed class SubmittedVersionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task TheFiler_ReadsEachSubmittedVersion_AndDownloadsItsDocuments_WhileNobodyElseFindsIt()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(applicant);

        var application = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        var link = application.QuerySelector("#versions-deposees + ul a")!;
        Assert.Equal($"/demandes/{reference}/version/1", link.GetAttribute("href"));
        Assert.StartsWith("Relire la version 1, déposée le", link.TextContent.Trim(), StringComparison.Ordinal);

        var version = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/version/1"));
        Assert.StartsWith("La demande telle que l'ANSM l'a reçue au dépôt", version.Text("#version-deposee"), StringComparison.Ordinal);
        Assert.Contains("Patient et besoin médical", version.Texts("h2"));
        Assert.Contains("Qualité du déposant", version.Texts("dt"));
        var documents = version.QuerySelectorAll("#documents a").ToList();
        Assert.NotEmpty(documents);
        var download = await applicant.GetAsync(documents[0].GetAttribute("href"));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);

        Assert.Equal(HttpStatusCode.NotFound, (await applicant.GetAsync($"/demandes/{reference}/version/2")).StatusCode);
        var other = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/demandes/{reference}/version/1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync(documents[0].GetAttribute("href"))).StatusCode);
    }
}
