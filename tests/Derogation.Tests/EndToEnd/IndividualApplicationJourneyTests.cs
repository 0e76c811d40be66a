using System.Text.RegularExpressions;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// Issue acceptance: a consultant files a complete individual application with documents in Chromium and gets
/// the receipt; the manufacturer then sees it; a second manufacturer cannot.
/// </summary>
public sealed class IndividualApplicationJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task ConsultantFilesWithDocuments_GetsTheReceipt_TheManufacturerSeesIt_ASecondManufacturerDoesNot()
    {
        var consultant = await Portal.CreateUserAsync(Roles.Consultant);
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        var secondManufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        }

        string reference;
        await using (var consultantPage = await SignedInPageAsync(consultant))
        {
            var page = consultantPage.Page;
            reference = await BrowserWizard.FileIndividualAsConsultantAsync(consultantPage, manufacturer.OrganisationId);
            Assert.StartsWith($"Votre demande a été déposée sous la référence {reference}.", await page.Locator(".fr-alert--success").InnerTextAsync());
            Assert.Empty(await consultantPage.SeriousAccessibilityViolationsAsync());

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger le récépissé de dépôt (PDF)" }).ClickAsync());
            Assert.Equal($"recepisse-{reference}.pdf", download.SuggestedFilename);
            var receipt = await File.ReadAllBytesAsync((await download.PathAsync())!);
            var text = Regex.Replace(await PdfText.ReadAsync(receipt), @"\s+", " ");
            Assert.Contains($"Référence {reference}", text);
            Assert.Contains("Mandat du fabricant", text);
            Assert.Contains("Justification médicale du prescripteur (anonymisée)", text);
            Assert.Empty(consultantPage.Problems);
        }

        await using (var manufacturerPage = await SignedInPageAsync(manufacturer))
        {
            await manufacturerPage.Page.GotoAsync("/demandes");
            await manufacturerPage.Page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
            await manufacturerPage.WaitForPathAsync($"/demandes/{reference}");
            Assert.Equal("Déposée", (await manufacturerPage.Page.Locator(".fr-badge").TextContentAsync())?.Trim());
            await Portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.Ordinal) && m.Subject.Contains(reference, StringComparison.Ordinal));
        }

        await using (var strangerPage = await SignedInPageAsync(secondManufacturer))
        {
            var response = await strangerPage.Page.GotoAsync($"/demandes/{reference}");
            Assert.Equal(404, response!.Status);
            Assert.Equal("Page non trouvée", await strangerPage.Page.Locator("h1").InnerTextAsync());
            await strangerPage.Page.GotoAsync("/demandes");
            Assert.Equal(0, await strangerPage.Page.GetByRole(AriaRole.Link, new() { Name = reference }).CountAsync());
        }
    }
}
