using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

public sealed class SubmissionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(HttpClient Client, Guid Draft, TestUser User)> CompleteDraftAsync(TestUser? user = null, Guid? manufacturerId = null)
    {
        user ??= await portal.CreateUserAsync(Roles.Manufacturer);
        var client = await portal.CreateClientForAsync(user);
        var form = manufacturerId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ManufacturerId"] = manufacturerId.ToString()! };
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", form);
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual)
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            var values = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            if (manufacturerId is not null)
            {
                values["Input.FiledAs"] = "Consultant";
            }

            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", values)).StatusCode);
        }

        return (client, id, user);
    }

    private async Task<T> DbAsync<T>(Func<DerogationDbContext, Task<T>> query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await query(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    [Fact]
    public async Task Submit_AllocatesAReference_FreezesVersion1_AndIssuesAReceiptListingEachDocumentWithItsSha256()
    {
        var (client, id, user) = await CompleteDraftAsync();
        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");

        Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        Assert.Matches($"^DIV-{DateTime.UtcNow.Year}-\\d{{5}}$", reference);
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{reference}"));
        Assert.Equal($"Votre demande a été déposée sous la référence {reference}. Le récépissé de dépôt est disponible ci-dessous.", page.Text(".fr-alert--success"));
        Assert.Equal("Déposée", page.Text(".fr-badge"));

        var receipt = await client.GetAsync($"/demandes/{reference}/recepisse");
        // A receipt (like every document and letter) is never kept in a browser's or a proxy's cache.
        Assert.True(receipt.Headers.CacheControl?.NoStore, "the receipt is served with Cache-Control: no-store");
        Assert.Equal("application/pdf", receipt.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", receipt.Content.Headers.ContentDisposition!.DispositionType);
        // pdftotext lays labels and values out in columns: compare with whitespace folded.
        var text = Regex.Replace(await PdfText.ReadAsync(await receipt.Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains($"Référence {reference}", text);
        Assert.Contains("Récépissé de dépôt d'une demande de dérogation", text);
        Assert.Contains("Dérogation individuelle", text);
        Assert.Contains("Dispositif de diagnostic in vitro — article 54 du règlement (UE) 2017/746", text);
        Assert.Contains("GenoScreen NGS Panel", text);
        Assert.Contains("page 1 / ", text);

        var application = await DbAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(ApplicationStatus.Submitted, application.Status);
        foreach (var document in application.Answers.Documents)
        {
            Assert.Contains(document.Sha256, text.Replace(" ", "", StringComparison.Ordinal));
            Assert.Contains(document.FileName, text);
        }

        var version = await DbAsync(db => db.ApplicationVersions.AsNoTracking().SingleAsync(v => v.ApplicationId == id));
        Assert.Equal(1, version.Version);
        Assert.Equal("GenoScreen NGS Panel", version.Answers.Device.TradeName);
        Assert.Contains(AuditActions.Submitted, await DbAsync(db => db.AuditEvents.Where(e => e.SubjectId == id.ToString()).Select(e => e.Action).ToListAsync()));
        await portal.WaitForMailAsync(m => m.To.Contains(user.Email, StringComparison.Ordinal) && m.Subject.Contains(reference, StringComparison.Ordinal));

        // Submitted means frozen: the wizard no longer opens.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{id}/patient")).StatusCode);
    }

    [Fact]
    public async Task Submit_WithoutAnAsteriskedDocument_IsRefused_AndListsWhatIsMissing()
    {
        var (client, id, _) = await CompleteDraftAsync();
        var documents = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
        await client.SubmitAsync(documents, $"/demandes/{id}/documents", new Dictionary<string, string>(), "#Input_DocumentSafetyPerformanceSummary form");

        // The button is gone from the summary; a forged POST is checked on the server all the same.
        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));
        Assert.Null(summary.QuerySelector("form[action*='handler=Submit']"));
        var token = summary.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        var refused = await Html.ParseAsync(await client.PostAsync($"/demandes/{id}/recapitulatif?handler=Submit",
            new FormUrlEncodedContent([new("__RequestVerificationToken", token)])));

        Assert.StartsWith("La demande n'a pas été déposée", refused.Text("#resume-erreurs li"));
        Assert.Contains(refused.Texts("#a-completer li"), t => t.StartsWith("Pièce obligatoire manquante : Synthèse des données de sécurité et de performances", StringComparison.Ordinal));
        var application = await DbAsync(db => db.Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(ApplicationStatus.Draft, application.Status);
        Assert.Null(application.Reference);
    }

    [Fact]
    public async Task SubmittingTwice_AtTheSameMoment_SubmitsOnce()
    {
        var (client, id, _) = await CompleteDraftAsync();
        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));

        var clicks = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            client.SubmitAsync(summary, $"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']")));

        var references = clicks.Select(c => c.Headers.Location?.OriginalString).Distinct().ToList();
        Assert.Single(references);
        Assert.Equal(1, await DbAsync(db => db.ApplicationVersions.CountAsync(v => v.ApplicationId == id)));
        Assert.Equal(1, await DbAsync(db => db.IssuedDocuments.CountAsync(d => d.ApplicationId == id)));
    }

    [Fact]
    public async Task ConcurrentSubmissions_GetDistinctReferences_WithoutGaps()
    {
        var drafts = new List<(HttpClient Client, Guid Id)>();
        for (var i = 0; i < 6; i++)
        {
            var (client, id, _) = await CompleteDraftAsync();
            drafts.Add((client, id));
        }

        var before = await DbAsync(db => db.ReferenceCounters.Where(c => c.Prefix == "DIV").Select(c => (int?)c.LastNumber).SingleOrDefaultAsync()) ?? 0;
        var responses = await Task.WhenAll(drafts.Select(d =>
            d.Client.SubmitAsync($"/demandes/{d.Id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']")));

        var numbers = responses.Select(r => int.Parse(Regex.Match(r.Headers.Location!.OriginalString, @"-(\d{5})$").Groups[1].Value)).Order().ToList();
        Assert.Equal(Enumerable.Range(before + 1, drafts.Count), numbers);
    }

    [Fact]
    public async Task ConsultantSubmission_TheManufacturerIsNotifiedAndSeesIt_ASecondManufacturerDoesNot()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var colleague = await portal.CreateUserAsync(Roles.Manufacturer, organisationAdministrator: false, organisationId: manufacturer.OrganisationId);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        }

        var (client, id, _) = await CompleteDraftAsync(consultant, manufacturer.OrganisationId);
        var manufacturerClient = await portal.CreateClientForAsync(manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturerClient.GetAsync($"/demandes/{id}")).StatusCode); // a draft stays the consultancy's

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];

        Assert.Equal(HttpStatusCode.OK, (await manufacturerClient.GetAsync($"/demandes/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await manufacturerClient.GetAsync($"/demandes/{reference}/recepisse")).StatusCode);
        foreach (var recipient in new[] { consultant, manufacturer, colleague })
        {
            await portal.WaitForMailAsync(m => m.To.Contains(recipient.Email, StringComparison.Ordinal) && m.Subject.Contains(reference, StringComparison.Ordinal));
        }

        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}/recepisse")).StatusCode);
    }
}
