using System.Net;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Letters;

public sealed class LetterIssueTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Manufacturer, TestUser ManufacturerUser, HttpClient Reviewer, TestUser Signatory)> UnderReviewAsync()
    {
        var manufacturerUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var manufacturer = await portal.CreateClientForAsync(manufacturerUser);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        return (reference, id, manufacturer, manufacturerUser, reviewer, await portal.CreateUserAsync(Roles.Signatory));
    }

    private static Dictionary<string, string> Grant(TestUser signatory) => new()
    {
        ["Outcome"] = "Grant",
        ["Reasons"] = "Considérant l'absence d'alternative marquée CE ;\nConsidérant les données de performances fournies.",
        ["Conditions.ValidUntil"] = DateTime.Today.AddMonths(6).ToString("yyyy-MM-dd"),
        ["Conditions.MaxPatients"] = "1",
        ["SignatoryId"] = signatory.Id.ToString(),
        ["OtherRecipients"] = "Agence régionale de santé ; ars-idf@example.fr",
    };

    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    [Fact]
    public async Task Grant_IssuesTheLetterOnce_ServesTheStoredBytes_AndSendsTheCopies()
    {
        var (reference, id, manufacturer, manufacturerUser, reviewer, signatory) = await UnderReviewAsync();
        await reviewer.CompleteGridAsync(reference);
        var decided = await reviewer.SubmitAsync($"/instruction/{reference}/decision", Grant(signatory));
        Assert.Equal($"/instruction/{reference}", decided.Headers.Location!.OriginalString);
        await portal.SignAsync(reference, signatory);

        var (decision, stored) = await InDatabaseAsync(async db =>
        {
            var d = await db.Decisions.AsNoTracking().SingleAsync(x => x.ApplicationId == id);
            return (d, await db.IssuedDocuments.AsNoTracking().SingleAsync(x => x.Id == d.LetterDocumentId));
        });
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(stored.Content)), stored.Sha256);
        Assert.Matches("^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$", decision.VerificationCode!);

        // The manufacturer downloads exactly the stored bytes, every time: nothing is rendered again.
        var first = await manufacturer.GetByteArrayAsync($"/demandes/{reference}/lettre");
        var second = await manufacturer.GetByteArrayAsync($"/demandes/{reference}/lettre");
        Assert.Equal(stored.Content, first);
        Assert.Equal(stored.Content, second);
        Assert.Equal(stored.Content, await reviewer.GetByteArrayAsync($"/instruction/{reference}?handler=Issued&document={stored.Id}"));
        var text = Regex.Replace(await PdfText.ReadAsync(first), @"\s+", " ");
        Assert.Contains($"Code de vérification : {decision.VerificationCode}", text);
        Assert.Contains("— Agence régionale de santé", text);
        var applicationPage = await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}"));
        Assert.NotNull(applicationPage.QuerySelector($"#decision a[href='/demandes/{reference}/lettre']"));

        // The manufacturer gets a link; the prescriber, the director and the other recipient the letter itself.
        var toManufacturer = await portal.WaitForMailAsync(m => m.To.Contains(manufacturerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("décision", StringComparison.Ordinal));
        Assert.EndsWith($"/demandes/{reference}", toManufacturer.Link($"/demandes/{reference}").AbsolutePath);
        Assert.Empty(toManufacturer.Attachments);
        foreach (var recipient in new[] { "c.fontaine@chu.example", "direction@chu.example", "ars-idf@example.fr" })
        {
            var copy = await portal.WaitForMailAsync(m => m.To.Contains(recipient, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal));
            var (fileName, content) = Assert.Single(copy.Attachments);
            Assert.Equal($"decision-{reference}.pdf", fileName);
            Assert.Equal(stored.Content, content);
            Assert.Contains($"/verification/{decision.VerificationCode}", copy.Body, StringComparison.Ordinal);
        }

        // Every message appears in the case file.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var recipients = caseFile.Texts("#messages + .fr-table tbody td:nth-child(2)");
        Assert.Contains("c.fontaine@chu.example", recipients);
        Assert.Contains("direction@chu.example", recipients);
        Assert.Contains(manufacturerUser.Email, recipients);

        // Another manufacturer cannot have it.
        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}/lettre")).StatusCode);
    }

    [Fact]
    public async Task Verification_ConfirmsAGenuineLetter_WithoutThePatient_AndAnUnknownCodeIsNotFound()
    {
        var (reference, id, _, _, reviewer, signatory) = await UnderReviewAsync();
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", Grant(signatory));
        await portal.SignAsync(reference, signatory);
        var (code, sha) = await InDatabaseAsync(async db =>
        {
            var d = await db.Decisions.AsNoTracking().SingleAsync(x => x.ApplicationId == id);
            return (d.VerificationCode!, await db.IssuedDocuments.Where(x => x.Id == d.LetterDocumentId).Select(x => x.Sha256).SingleAsync());
        });

        var anonymous = portal.CreateAnonymousClient();
        var response = await anonymous.GetAsync($"/verification/{code}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await Html.ParseAsync(response);
        Assert.Equal("Décision authentique", page.Text("#verification-confirmee h2"));
        var shown = page.Texts("#verification dd");
        Assert.Equal([reference, "Dérogation individuelle", "Dérogation accordée", "Accordée"], shown.Take(4));
        Assert.Contains("GenoScreen NGS Panel", shown);
        Assert.Equal(sha, page.Text("#empreinte"));
        var all = page.Body!.TextContent;
        Assert.DoesNotContain("1962", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Fontaine", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Adrénoleucodystrophie", all, StringComparison.Ordinal);

        var lowerCase = await anonymous.GetAsync($"/verification/{code.ToLowerInvariant()}");
        Assert.Equal(HttpStatusCode.OK, lowerCase.StatusCode);
        var unknown = await anonymous.GetAsync("/verification/AAAA-BBBB-CCCC-DDDD");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Code inconnu", (await Html.ParseAsync(unknown)).Text("#verification-inconnue h2"));
    }

    [Fact]
    public async Task Preview_RendersADraftFromTheForm_AndSavesNothing()
    {
        var (reference, id, _, _, reviewer, signatory) = await UnderReviewAsync();
        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        var values = Grant(signatory);
        var preview = await reviewer.SubmitAsync(form, $"/instruction/{reference}/decision?handler=Preview", values);
        Assert.Equal("application/pdf", preview.Content.Headers.ContentType!.MediaType);
        var text = Regex.Replace(await PdfText.ReadAsync(await preview.Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains("PROJET — aperçu avant décision", text);
        Assert.Contains("Considérant les données de performances fournies ;", text);
        Assert.DoesNotContain("Code de vérification", text);

        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == id)));
        Assert.Equal(ApplicationStatus.UnderReview, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task OtherRecipients_InAWrongFormat_AreNamed_AndTheRestIsKept()
    {
        var (reference, _, _, _, reviewer, signatory) = await UnderReviewAsync();
        var values = Grant(signatory);
        values["OtherRecipients"] = "ARS sans adresse";
        await reviewer.CompleteGridAsync(reference);
        var page = await Html.ParseAsync(await reviewer.SubmitAsync($"/instruction/{reference}/decision", values));
        Assert.Equal(["Autres destinataires en copie : écrivez un destinataire par ligne, sous la forme « Nom ; adresse e-mail »."], page.Texts("#resume-erreurs li"));
        Assert.Equal("ARS sans adresse", page.Text("#OtherRecipients"));
        Assert.Contains("Considérant l'absence d'alternative", page.Text("#Reasons"), StringComparison.Ordinal);
    }
}
