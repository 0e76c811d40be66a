using System.IO.Compression;
using System.Net;
using System.Text;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PdfSharp.Drawing;

namespace Derogation.Tests.Applications;

/// <summary>
/// Nothing unsafe or identifying gets through: every file the tests build here goes through the documents step of a
/// real portal, scanned by a real clamd, parsed by PdfPig, its text read against the anonymisation rules.
/// </summary>
public sealed class DocumentSafetyTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, Guid Id)> DraftAtDocumentsStepAsync()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(client);

        return (client, id);
    }

    private static async Task<string> ErrorsAsync(HttpResponseMessage response) =>
        string.Join(" | ", (await Html.ParseAsync(response)).Texts("#resume-erreurs li"));

    private Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid id, string type, string name, byte[] bytes, bool anonymised = false) =>
        WizardDocuments.UploadAsync(client, id, type, name, new ByteArrayContent(bytes), anonymised);

    private async Task<Application> DraftAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private static byte[] Raw(string text) => Encoding.Latin1.GetBytes(text);

    /// <summary>A PDF drawn with PDFsharp: shapes only (a scan has no text layer), or encrypted with a password.</summary>
    private static byte[] DrawnPdf(string? password = null)
    {
        Derogation.Core.Letters.PdfFonts.Install();
        using var document = new PdfSharp.Pdf.PdfDocument();
        var page = document.AddPage();
        using (var graphics = XGraphics.FromPdfPage(page))
        {
            graphics.DrawRectangle(XBrushes.DarkGray, 40, 40, 400, 600);
        }

        if (password is not null)
        {
            document.SecuritySettings.UserPassword = password;
            document.SecuritySettings.OwnerPassword = password + "-owner";
        }

        using var output = new MemoryStream();
        document.Save(output);
        return output.ToArray();
    }

    [Fact]
    public async Task EicarInsideAPdf_IsRefusedByTheRealAntivirus_WithAnAuditEvent_AndACleanPdfIsAccepted()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var clean = WizardDocuments.Pdf("Notice d'utilisation");
        var infected = clean.Concat(Raw("\n% ")).Concat(LocalClamd.Eicar).Concat(Raw("\n")).ToArray();

        var refused = await UploadAsync(client, id, "DeviceDescription", "notice.pdf", infected);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.StartsWith($"Fichier : l'antivirus y a détecté « {LocalClamd.TestSignature}", await ErrorsAsync(refused), StringComparison.Ordinal);
        Assert.Empty((await DraftAsync(id)).Answers.Documents);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var audit = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().AuditEvents.AsNoTracking()
                .SingleAsync(e => e.Action == AuditActions.UploadInfected && e.SubjectId == id.ToString());
            // clamd adds ".UNOFFICIAL" to signatures from a local database.
            Assert.StartsWith($"notice.pdf: {LocalClamd.TestSignature}", audit.Details, StringComparison.Ordinal);
        }

        var accepted = await UploadAsync(client, id, "DeviceDescription", "notice.pdf", clean);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        var document = Assert.Single((await DraftAsync(id)).Answers.Documents);
        Assert.Equal(1, document.PageCount);
    }

    [Fact]
    public async Task AReviewersInfectedFile_IsRefused_TheRequestKeptUnsent_AndTheInfectionRecorded()
    {
        var (reference, id) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var page = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/demande-information"));
        var form = page.QuerySelector("main form[method=post]")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent("Lisez la pièce jointe."), "Message" },
            { new ByteArrayContent(WizardDocuments.Pdf("Questions").Concat(Raw("\n% ")).Concat(LocalClamd.Eicar).ToArray()), "Attachment", "questions.pdf" },
        };
        var refused = await Html.ParseAsync(await reviewer.PostAsync($"/instruction/{reference}/demande-information", content));
        Assert.StartsWith($"Fichier : l'antivirus y a détecté « {LocalClamd.TestSignature}", refused.Text("#Attachment-messages"), StringComparison.Ordinal);
        Assert.Equal("Lisez la pièce jointe.", refused.Text("#Message"));
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        Assert.False(await db.InformationRequests.AnyAsync(r => r.ApplicationId == id));
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == AuditActions.UploadInfected && e.SubjectId == id.ToString()));
    }

    [Theory]
    [InlineData("javascript")]
    [InlineData("escaped-javascript")]
    [InlineData("launch")]
    [InlineData("embedded-file")]
    [InlineData("encrypted")]
    [InlineData("pdf-zip")]
    [InlineData("pdf-html")]
    [InlineData("truncated")]
    public async Task ActiveEncryptedOrPolyglotPdfs_AreRefused_WithTheReason(string kind)
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var plain = WizardDocuments.Pdf("Notice");
        var (bytes, expected) = kind switch
        {
            "javascript" => (Raw("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /JavaScript /JS (app.alert(1)) >> >>\nendobj\n%%EOF\n"), "contient du JavaScript"),
            // clamd's own PDF heuristics catch an obfuscated name first (PdfInspectionTests prove the portal's check does too).
            "escaped-javascript" => (Raw("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> >>\nendobj\n%%EOF\n"), "Fichier : l"),
            "launch" => (Raw("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /OpenAction << /S /Launch /F (cmd.exe) >> >>\nendobj\n%%EOF\n"), "action de lancement"),
            "embedded-file" => (Raw("%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Names << /EmbeddedFiles 2 0 R >> >>\nendobj\n%%EOF\n"), "contient des fichiers joints"),
            "encrypted" => (DrawnPdf(password: "secret"), "chiffré ou protégé par mot de passe"),
            "pdf-zip" => (plain.Concat(Zip()).ToArray(), "n'est pas un PDF unique et bien formé"),
            "pdf-html" => (Raw("%PDF-1.4\n%<html><script>alert(document.cookie)</script></html>\n").Concat(plain[9..]).ToArray(), "n'est pas un PDF unique et bien formé"),
            _ => (plain[..(plain.Length / 2)], "n'est pas un PDF unique et bien formé"),
        };

        var refused = await UploadAsync(client, id, "DeviceDescription", "notice.pdf", bytes);
        Assert.Contains(expected, await ErrorsAsync(refused), StringComparison.Ordinal);
        Assert.Empty((await DraftAsync(id)).Answers.Documents);
    }

    [Theory]
    [InlineData("Patient né le 12/03/1962, suivi depuis l'enfance.", "page 2 : une date de naissance annoncée par « né le »")]
    [InlineData("Je soussigné, vu M. Dupont en consultation.", "page 2 : une personne désignée par son nom « M. Dupont »")]
    [InlineData("Émilie Dubois présente une forme sévère.", "page 2 : le nom du patient, semble-t-il (mêmes initiales) « Émilie Dubois »")]
    [InlineData("NIR : 2 62 03 75 123 456 78.", "page 2 : un numéro de sécurité sociale « 2 62 03 75 123 456 78 »")]
    public async Task AJustificationThatIdentifiesThePatient_IsRefused_NamingThePage(string secondPage, string expected)
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var pdf = WizardDocuments.Pdf("Justification médicale du prescripteur.", secondPage);
        var refused = await UploadAsync(client, id, "MedicalJustification", "justification.pdf", pdf, anonymised: true);
        Assert.StartsWith($"Fichier : {expected}", await ErrorsAsync(refused), StringComparison.Ordinal);
        Assert.Empty((await DraftAsync(id)).Answers.Documents);
    }

    [Fact]
    public async Task PreciseDates_AreAWarningTheApplicantAcknowledges_ShownToTheReviewer()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var prescription = WizardDocuments.Pdf("Ordonnance du 12/03/2026 : pose du dispositif.");
        var warned = await UploadAsync(client, id, "Prescription", "ordonnance.pdf", prescription, anonymised: true);
        Assert.StartsWith("Fichier : il contient des dates précises : 12/03/2026, p. 1.", await ErrorsAsync(warned), StringComparison.Ordinal);
        Assert.NotNull((await Html.ParseAsync(warned)).QuerySelector("#DatesAcknowledged"));
        Assert.Empty((await DraftAsync(id)).Answers.Documents);

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        var form = page.QuerySelector("form[action*='handler=Upload']")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent("Prescription"), "DocumentType" },
            { new StringContent("true"), "Anonymised" },
            { new StringContent("true"), "DatesAcknowledged" },
            { new ByteArrayContent(prescription), "Upload", "ordonnance.pdf" },
        };
        Assert.Equal(HttpStatusCode.Redirect, (await client.PostAsync(form.GetAttribute("action"), content)).StatusCode);
        var document = Assert.Single((await DraftAsync(id)).Answers.Documents);
        Assert.Equal(["12/03/2026, p. 1"], document.DateWarnings);
        Assert.True(document.CheckedAutomatically);
    }

    [Fact]
    public async Task AScannedImageOnlyPdf_IsAccepted_ButFlaggedAsNotCheckedAutomatically()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var accepted = await UploadAsync(client, id, "MedicalJustification", "scan.pdf", DrawnPdf(), anonymised: true);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.False(Assert.Single((await DraftAsync(id)).Answers.Documents).CheckedAutomatically);
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        Assert.Equal("Non vérifié automatiquement", page.Text("#Input_DocumentMedicalJustification .document-non-verifie"));

        // Once filed, the reviewer sees the same mark on the case file.
        foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription" })
        {
            await UploadAsync(client, id, type, $"{type}.pdf", WizardDocuments.Pdf(type));
        }

        await client.SubmitAsync($"/demandes/{id}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
        await client.SubmitAsync($"/demandes/{id}/declarations", new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "declarations").Fields) { ["action"] = "continuer" });
        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        var caseFile = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync($"/instruction/{reference}"));
        Assert.Equal("Non vérifié automatiquement", caseFile.Text("#documents .document-non-verifie"));
    }

    [Fact]
    public async Task SeveralFilesAtOnce_AreEachCheckedAndReported()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        Assert.NotNull(page.QuerySelector("input#Upload[type=file][multiple]"));
        var form = page.QuerySelector("form[action*='handler=Upload']")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent("DeviceDescription"), "DocumentType" },
            { new ByteArrayContent(WizardDocuments.Pdf("Notice")), "Upload", "notice.pdf" },
            { new ByteArrayContent([0x4D, 0x5A, 0x90, 0x00]), "Upload", "outil.pdf" },
            { new ByteArrayContent(WizardDocuments.Pdf("Étiquetage")), "Upload", "etiquetage.pdf" },
        };
        var response = await client.PostAsync(form.GetAttribute("action"), content);
        // Where the time went, for a browser's developer tools: the antivirus, the content checks, the storage (ms).
        Assert.Matches(@"^antivirus;dur=\d+\.\d, checks;dur=\d+\.\d, store;dur=\d+\.\d$", Assert.Single(response.Headers.GetValues("Server-Timing")));
        var shown = await Html.ParseAsync(response);
        Assert.Equal(["« outil.pdf » — Fichier : son contenu n'est pas celui d'un PDF, PNG, JPEG, DOCX, XLSX ou ODT (le nom du fichier ne suffit pas). Convertissez-le dans l'un de ces formats."],
            shown.Texts("#resume-erreurs li"));
        Assert.Equal("notice.pdf, etiquetage.pdf : ces fichiers ont été joints.", shown.Text(".fr-alert--success"));
        Assert.Equal(["notice.pdf", "etiquetage.pdf"], (await DraftAsync(id)).Answers.Documents.Select(d => d.FileName));
    }

    [Fact]
    public async Task FileNames_LoseControlAndBidirectionalCharacters_AndDownloadsAreNeverCached()
    {
        var (client, id) = await DraftAtDocumentsStepAsync();
        await UploadAsync(client, id, "DeviceDescription", "notice\u202Efdp.exe\u0007.pdf", WizardDocuments.Pdf("Notice"));
        var document = Assert.Single((await DraftAsync(id)).Answers.Documents);
        Assert.Equal("notice_fdp_exe.pdf", document.FileName);
        Assert.DoesNotContain(document.FileName, c => char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format);

        var download = await client.GetAsync($"/demandes/{id}/documents/{document.Id}");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.True(download.Headers.CacheControl?.NoStore, "a document is served with Cache-Control: no-store");
    }

    private static byte[] Zip()
    {
        using var output = new MemoryStream();
        using (var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var writer = new StreamWriter(zip.CreateEntry("payload.html").Open());
            writer.Write("<script>alert(1)</script>");
        }

        return output.ToArray();
    }
}

/// <summary>With the antivirus down, nothing is accepted unscanned, and the portal says it is not ready.</summary>
public sealed class ScannerDownTests(ScannerDownTests.OwnScannerPortal portal) : IClassFixture<ScannerDownTests.OwnScannerPortal>
{
    public sealed class OwnScannerPortal : PortalFactory
    {
        public LocalClamd Scanner { get; private set; } = null!;

        protected override async Task<AntivirusOptions> AntivirusAsync()
        {
            Scanner = await TestAntivirus.StartOwnAsync();
            return Scanner.Options;
        }
    }

    [Fact]
    public async Task ScannerStopped_UploadRefusedClearly_ReadinessSays503_AndNothingIsStored()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(client);

        Assert.Equal(HttpStatusCode.OK, (await portal.CreateAnonymousClient().GetAsync("/health/ready")).StatusCode);

        portal.Scanner.Stop();
        var refused = await Html.ParseAsync(await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "notice.pdf", new ByteArrayContent(WizardDocuments.Pdf("Notice"))));
        Assert.Equal("Fichier : l'analyse antivirus est momentanément indisponible, le fichier n'a donc pas été accepté. Réessayez plus tard ; vos autres saisies sont conservées.",
            refused.Text("#Upload-messages"));
        Assert.NotNull(refused.QuerySelector("#DocumentType option[value='DeviceDescription'][selected]"));
        var ready = await portal.CreateAnonymousClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Empty((await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id)).Answers.Documents);
    }
}

/// <summary>An application holds a limited number of documents and bytes (configurable; defaults 50 files, 500 MB).</summary>
public sealed class DocumentLimitTests(DocumentLimitTests.SmallLimitsPortal portal) : IClassFixture<DocumentLimitTests.SmallLimitsPortal>
{
    public sealed class SmallLimitsPortal : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Documents:MaxDocumentsPerApplication", "3");
            builder.UseSetting("Documents:MaxApplicationBytes", "50000");
        }
    }

    [Fact]
    public async Task BeyondTheCountOrTheTotalSize_AFileIsRefused_SayingWhatToDo()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.DraftAtDocumentsStepAsync(client);

        var pdf = WizardDocuments.Pdf("Notice");
        var large = WizardDocuments.Pdf(Enumerable.Range(1, 40).Select(i => $"Page {i} de la notice d'utilisation, avec son texte complet.").ToArray());
        Assert.True(large.Length > 50_000 - pdf.Length && 3 * pdf.Length <= 50_000, $"sizes: large {large.Length}, small {pdf.Length} bytes");
        Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "notice.pdf", new ByteArrayContent(pdf))).StatusCode);
        var tooMuch = await Html.ParseAsync(await WizardDocuments.UploadAsync(client, id, "DeviceDescription", "complete.pdf", new ByteArrayContent(large)));
        Assert.StartsWith("Fichier : l'ensemble des documents de la demande dépasserait 0 Mo.", tooMuch.Text("#Upload-messages"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, "GsprDeclaration", "egsp.pdf", new ByteArrayContent(pdf))).StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await WizardDocuments.UploadAsync(client, id, "SafetyPerformanceSummary", "synthese.pdf", new ByteArrayContent(pdf))).StatusCode);
        var fourth = await Html.ParseAsync(await WizardDocuments.UploadAsync(client, id, "NotifiedBodyCorrespondence", "on.pdf", new ByteArrayContent(pdf)));
        Assert.Equal("Fichier : la demande compte déjà 3 documents, le maximum. Regroupez des pièces ou retirez-en une avant d'en ajouter.", fourth.Text("#Upload-messages"));
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Equal(3, (await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id)).Answers.Documents.Count);
    }
}
