using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using Derogation.Core.Applications;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

/// <summary>Documents with a 1 MB limit, so that "too large" is quick to show.</summary>
public sealed class DocumentTests(DocumentTests.Factory portal) : IClassFixture<DocumentTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Documents:MaxFileBytes", (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private async Task<(HttpClient Client, Guid Draft)> DraftAtDocumentsStepAsync(string role = Roles.Manufacturer)
    {
        var client = await portal.CreateClientAsAsync(role);
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "declarations"))
        {
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        return (client, id);
    }

    private static async Task<string> FileErrorAsync(HttpResponseMessage response, string field = "Upload") =>
        (await Html.ParseAsync(response)).Text($"#{field}-messages");

    [Fact]
    public async Task RenamedExecutable_EmptyFile_AndTooLargeFile_AreRefusedWithClearMessages()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();

        var executable = await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "notice.pdf", new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00]));
        Assert.StartsWith("Fichier : son contenu n'est pas celui d'un PDF, PNG, JPEG, DOCX, XLSX ou ODT", await FileErrorAsync(executable));

        var empty = await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "vide.pdf", new ByteArrayContent([]));
        Assert.Equal("Le fichier est vide : joignez le document complet.", await FileErrorAsync(empty));

        var large = new byte[(1024 * 1024) + 10];
        "%PDF-1.4\n"u8.CopyTo(large);
        var tooLarge = await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "gros.pdf", new ByteArrayContent(large));
        Assert.Equal("Fichier : il dépasse 1 Mo. Joignez une version plus légère (par exemple un PDF compressé) ou scindez-le.", await FileErrorAsync(tooLarge));

        // Far beyond the limit, the request is cut off while it streams in, and the page says why.
        var huge = new byte[3 * 1024 * 1024];
        "%PDF-1.4\n"u8.CopyTo(huge);
        var cutOff = await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "enorme.pdf", new ByteArrayContent(huge));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, cutOff.StatusCode);
        Assert.Equal("Fichier trop volumineux", (await Html.ParseAsync(cutOff)).Text("h1"));

        Assert.Empty((await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"))).QuerySelectorAll("tbody ul a.fr-link"));
    }

    [Fact]
    public async Task PatientDocument_MustBeConfirmedAnonymised()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var refused = await WizardDocuments.UploadAsync(client, id, "MedicalJustification", "justification.pdf", new ByteArrayContent(WizardDocuments.Pdf()));
        Assert.StartsWith("Ce document concerne le patient : confirmez qu'il est anonymisé", await FileErrorAsync(refused, "Anonymised"));
        // The choices made are kept.
        Assert.NotNull((await Html.ParseAsync(refused)).QuerySelector("#DocumentType option[value='MedicalJustification'][selected]"));

        var accepted = await WizardDocuments.UploadAsync(client, id, "MedicalJustification", "justification.pdf", new ByteArrayContent(WizardDocuments.Pdf()), anonymised: true);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Theory]
    [InlineData("rapport.docx", "word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")]
    [InlineData("donnees.xlsx", "xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")]
    [InlineData("notice.odt", null, "application/vnd.oasis.opendocument.text")]
    public async Task OfficeDocuments_AreRecognisedByWhatTheyContain(string fileName, string? part, string expectedType)
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        // "Other" documents of an individual application may mention the patient: they are confirmed anonymised.
        var response = await WizardDocuments.UploadAsync(client, id, "Other", fileName, new ByteArrayContent(Zip(part)), anonymised: true);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        var download = await client.GetAsync(page.QuerySelector("#Input_DocumentOther a.fr-link")!.GetAttribute("href"));
        Assert.Equal(expectedType, download.Content.Headers.ContentType!.MediaType);

        // A plain zip renamed .docx is not a document.
        var plainZip = await WizardDocuments.UploadAsync(client, id, "Other", "archive.docx", new ByteArrayContent(Zip("readme.txt", odt: false)), anonymised: true);
        Assert.StartsWith("Fichier : son contenu n'est pas celui", await FileErrorAsync(plainZip));
    }

    [Fact]
    public async Task Download_IsAnAttachmentWithTheStoredBytes_ForThoseWhoMaySeeTheApplicationOnly()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var bytes = WizardDocuments.Pdf("contenu exact");
        await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "..\\..\\Notice d'utilisation v2.pdf", new ByteArrayContent(bytes));

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        var link = page.QuerySelector("#Input_DocumentDeviceDescription a.fr-link")!;
        Assert.Equal("Notice_d_utilisation_v2.pdf", link.TextContent);
        var download = await client.GetAsync(link.GetAttribute("href"));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Notice_d_utilisation_v2.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());

        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync(link.GetAttribute("href"))).StatusCode);
        var anonymous = await portal.CreateAnonymousClient().GetAsync(link.GetAttribute("href"));
        Assert.Equal("/compte/connexion", anonymous.Headers.Location!.AbsolutePath);
    }

    [Fact]
    public async Task RemovedDocument_IsGone_AndTheAsteriskIsMissingAgain()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        await WizardDocuments.UploadAsync(client, id, "GsprDeclaration", "declaration.pdf", new ByteArrayContent(WizardDocuments.Pdf()));
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        var href = page.QuerySelector("#Input_DocumentGsprDeclaration a.fr-link")!.GetAttribute("href")!;

        await client.SubmitAsync(page, $"/demandes/{id}/documents", new Dictionary<string, string>(), "#Input_DocumentGsprDeclaration form");
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(href)).StatusCode);

        var continued = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']"));
        Assert.Contains(continued.Texts("#resume-erreurs li"), e => e.StartsWith("Pièce obligatoire manquante : Déclaration de conformité", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ConsultantFiling_IsNotAskedForTheMandate_ThePortalHoldsIt()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<Derogation.Core.Mandates.MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        }

        var client = await portal.CreateClientForAsync(consultant);
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string> { ["ManufacturerId"] = manufacturer.OrganisationId.ToString() });
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "declarations"))
        {
            var values = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            values.Remove("Input.FiledAs");
            values["Input.FiledAs"] = "Consultant";
            await client.SubmitAsync($"/demandes/{id}/{slug}", values);
        }

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        Assert.DoesNotContain("*", page.Text("#Input_DocumentMandate td"));
        Assert.Contains("Le portail détient le mandat de", page.Text("#Input_DocumentMandate .mandat-joint"));
        // The documents step completes without it.
        await WizardDocuments.CompleteAsync(client, id);
    }

    private static byte[] Zip(string? part, bool odt = true)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            if (part is null && odt)
            {
                using var writer = new StreamWriter(zip.CreateEntry("mimetype", CompressionLevel.NoCompression).Open());
                writer.Write("application/vnd.oasis.opendocument.text");
            }
            else if (part is not null && part.Contains('/', StringComparison.Ordinal))
            {
                zip.CreateEntry("[Content_Types].xml");
                zip.CreateEntry(part);
            }
            else
            {
                zip.CreateEntry(part!);
            }
        }

        return buffer.ToArray();
    }
}
