using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Npgsql;

namespace Derogation.Tests.Api;

public sealed class ApiTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static async Task<Guid> IdOfAsync(HttpResponseMessage created) =>
        (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<Guid>();

    [Fact]
    public async Task FullFiling_ThroughTheApi_GivesTheSameReceiptAsTheWizard()
    {
        var signedIn = await portal.CreateClientForAsync(await portal.CreateUserAsync(Roles.Manufacturer));
        var api = portal.WithToken(await ApiClients.CreateTokenAsync(signedIn));

        var created = await api.PostAsJsonAsync("/api/v1/applications", new { kind = "Individual" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = await IdOfAsync(created);

        foreach (var (slug, fields) in WizardFill.Individual)
        {
            var section = ApiClients.SectionOfSlug[slug];
            var saved = await api.PutAsJsonAsync($"/api/v1/applications/{id}/sections/{section}", ApiClients.SectionJson(fields));
            var answer = await saved.Content.ReadAsStringAsync();
            Assert.True(saved.StatusCode == HttpStatusCode.OK, $"{section}: {answer}");
            Assert.True(JsonNode.Parse(answer)!["complete"]!.GetValue<bool>(), $"{section}: {answer}");
        }

        // Submitting before the documents: refused, the missing ones named, nothing submitted.
        var early = await api.PostAsync($"/api/v1/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, early.StatusCode);
        Assert.Equal("application/problem+json", early.Content.Headers.ContentType!.MediaType);

        foreach (var type in new[] { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription", "MedicalJustification" })
        {
            var uploaded = await ApiClients.UploadAsync(api, id, type, WizardDocuments.Pdf(type), anonymised: type == "MedicalJustification");
            Assert.True(uploaded.StatusCode == HttpStatusCode.Created, await uploaded.Content.ReadAsStringAsync());
        }

        var submitted = await api.PostAsync($"/api/v1/applications/{id}/submit", null);
        Assert.True(submitted.StatusCode == HttpStatusCode.Created, await submitted.Content.ReadAsStringAsync());
        var reference = (await submitted.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>();
        Assert.Matches(@"^DIV-\d{4}-\d{5}$", reference);
        // A retry of the same submission: the same reference, nothing done twice.
        var again = await api.PostAsync($"/api/v1/applications/{id}/submit", null);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(reference, (await again.Content.ReadFromJsonAsync<JsonObject>())!["reference"]!.GetValue<string>());

        // The list and the application as the API reads them.
        var list = await api.GetFromJsonAsync<JsonObject>("/api/v1/applications?status=Submitted&pageSize=10");
        Assert.Equal(1, (int?)list!["total"]);
        Assert.Contains(list["items"]!.AsArray(), a => (string?)a!["reference"] == reference && (string?)a["status"] == "Submitted");
        // A page far past the end lists nothing and still tells the total (its offset does not overflow).
        var farPage = await api.GetFromJsonAsync<JsonObject>($"/api/v1/applications?status=Submitted&page={int.MaxValue}&pageSize=500");
        Assert.Empty(farPage!["items"]!.AsArray());
        Assert.Equal(1, (int?)farPage["total"]);
        var refusedPage = await api.GetAsync("/api/v1/applications?pageSize=5000");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refusedPage.StatusCode);
        Assert.NotNull(JsonNode.Parse(await refusedPage.Content.ReadAsStringAsync())!["errors"]!["pageSize"]);
        var read = await api.GetFromJsonAsync<JsonObject>($"/api/v1/applications/{reference}");
        Assert.Equal("d", (string?)read!["sections"]!["patient"]!["lastNameInitial"]);
        Assert.Equal(4, read["documents"]!.AsArray().Count);

        // The receipt: the wizard's, word for word, but for the reference and the times.
        var apiReceipt = await api.GetAsync($"/api/v1/applications/{reference}/receipt");
        Assert.Equal("application/pdf", apiReceipt.Content.Headers.ContentType!.MediaType);
        var (wizardReference, _) = await Filing.SubmitIndividualAsync(signedIn);
        var wizardReceipt = await signedIn.GetByteArrayAsync($"/demandes/{wizardReference}/recepisse");
        static string Normalise(string text, string own) =>
            Regex.Replace(Regex.Replace(text.Replace(own, "REF", StringComparison.Ordinal), @"\d{1,2}[:h]\d{2}(:\d{2})?", "HH:MM"), "[0-9a-f]{64}", "SHA");
        Assert.Equal(Normalise(await PdfText.ReadAsync(wizardReceipt), wizardReference),
            Normalise(await PdfText.ReadAsync(await apiReceipt.Content.ReadAsByteArrayAsync()), reference));
    }

    [Fact]
    public async Task SectionBreakingThePatientRules_IsRefused_WithTheWizardsMessage_NamingTheField_AndNothingSaved()
    {
        var signedIn = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var api = portal.WithToken(await ApiClients.CreateTokenAsync(signedIn));
        var id = await IdOfAsync(await api.PostAsJsonAsync("/api/v1/applications", new { kind = "Individual" }));
        var patient = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "patient").Fields) { ["Input.LastNameInitial"] = "Dupont" };

        var refused = await api.PutAsJsonAsync($"/api/v1/applications/{id}/sections/patient", ApiClients.SectionJson(patient));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType!.MediaType);
        var problem = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal(422, (int?)problem["status"]);
        var message = (string?)problem["errors"]!["lastNameInitial"]![0];

        // The same message the wizard shows for the same value.
        var draft = await Filing.DraftAtDocumentsStepAsync(signedIn);
        var page = await Html.ParseAsync(await signedIn.SubmitAsync($"/demandes/{draft}/patient", new Dictionary<string, string>(patient) { ["action"] = "continuer" }));
        Assert.Contains(message!, page.Text("#resume-erreurs"));
        Assert.Null((string?)(await api.GetFromJsonAsync<JsonObject>($"/api/v1/applications/{id}"))!["sections"]!["patient"]!["lastNameInitial"]);

        // In English when asked.
        var english = portal.WithToken(await ApiClients.CreateTokenAsync(signedIn, "EN"), "en-GB");
        var inEnglish = JsonNode.Parse(await (await english.PutAsJsonAsync($"/api/v1/applications/{id}/sections/patient", ApiClients.SectionJson(patient))).Content.ReadAsStringAsync())!;
        var englishMessage = (string?)inEnglish["errors"]!["lastNameInitial"]![0];
        Assert.NotEqual(message, englishMessage);
        Assert.Contains("initial", englishMessage, StringComparison.OrdinalIgnoreCase);

        // An unreadable value: the field named, the value not echoed.
        var unreadable = await api.PutAsync($"/api/v1/applications/{id}/sections/patient",
            new StringContent("""{"yearOfBirth":"soixante"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unreadable.StatusCode);
        var unreadableProblem = await unreadable.Content.ReadAsStringAsync();
        Assert.Contains("yearOfBirth", unreadableProblem);
        Assert.DoesNotContain("soixante", unreadableProblem);

        // A document naming the patient is refused by its content; a "PDF" that is not one too.
        var named = await ApiClients.UploadAsync(api, id, "MedicalJustification", WizardDocuments.Pdf("Patient : Jean Dupont, né le 12/03/1962"), anonymised: true);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, named.StatusCode);
        Assert.NotNull(JsonNode.Parse(await named.Content.ReadAsStringAsync())!["errors"]!["file"]);
        var fake = await ApiClients.UploadAsync(api, id, "DeviceDescription", "<html>not a pdf</html>"u8.ToArray());
        Assert.Equal(HttpStatusCode.UnprocessableEntity, fake.StatusCode);
        Assert.Empty((await api.GetFromJsonAsync<JsonObject>($"/api/v1/applications/{id}"))!["documents"]!.AsArray());
    }

    [Fact]
    public async Task Tokens_AreScoped_RevocableAndExpire_AndSeeOnlyTheirOrganisation()
    {
        var ownerClient = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var writer = portal.WithToken(await ApiClients.CreateTokenAsync(ownerClient, "écriture"));
        var reader = portal.WithToken(await ApiClients.CreateTokenAsync(ownerClient, "lecture", write: false));
        var (reference, _) = await Filing.SubmitIndividualAsync(ownerClient);

        // A read token reads, and cannot write.
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/applications/{reference}")).StatusCode);
        var forbidden = await reader.PostAsJsonAsync("/api/v1/applications", new { kind = "Global" });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("application/problem+json", forbidden.Content.Headers.ContentType!.MediaType);

        // Another organisation's application, by reference or by draft id: 404, as for an unknown one.
        var other = portal.WithToken(await ApiClients.CreateTokenAsync(await portal.CreateClientAsAsync(Roles.Manufacturer), "autre"));
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/applications/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/api/v1/applications/{reference}/receipt")).StatusCode);
        var draftId = await IdOfAsync(await writer.PostAsJsonAsync("/api/v1/applications", new { kind = "Global" }));
        Assert.Equal(HttpStatusCode.NotFound, (await other.PutAsJsonAsync($"/api/v1/applications/{draftId}/sections/device", new { tradeName = "X" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await other.PostAsync($"/api/v1/applications/{draftId}/submit", null)).StatusCode);
        Assert.DoesNotContain(reference, await other.GetStringAsync("/api/v1/applications"));
        // A section the kind has not (the patient of a global application): 404.
        Assert.Equal(HttpStatusCode.NotFound, (await writer.PutAsJsonAsync($"/api/v1/applications/{draftId}/sections/patient", new { lastNameInitial = "d" })).StatusCode);

        // No token, a made-up one, the cookie of a signed-in session: 401.
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.CreateAnonymousClient().GetAsync("/api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await portal.WithToken("dgt_invente").GetAsync("/api/v1/applications")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await ownerClient.GetAsync("/api/v1/applications")).StatusCode);

        // Revoked at /compte/jetons: 401 from then on.
        var tokens = await Html.ParseAsync(await ownerClient.GetAsync("/compte/jetons"));
        var action = tokens.QuerySelectorAll("#jetons tbody tr").Single(r => r.TextContent.Contains("lecture", StringComparison.Ordinal)).QuerySelector("form")!.GetAttribute("action");
        var revoked = await ownerClient.SubmitAsync(tokens, "/compte/jetons", new Dictionary<string, string>(), $"form[action='{action}']");
        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        var unauthorised = await reader.GetAsync($"/api/v1/applications/{reference}");
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        Assert.Equal("Bearer", unauthorised.Headers.WwwAuthenticate.Single().Scheme);

        // Expired: 401.
        await using (var connection = new NpgsqlConnection(portal.ConnectionString))
        {
            await connection.OpenAsync();
            await using var expire = new NpgsqlCommand("UPDATE api_tokens SET expires_at = now() - interval '1 minute' WHERE name = 'écriture'", connection);
            await expire.ExecuteNonQueryAsync();
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await writer.GetAsync("/api/v1/applications")).StatusCode);

        // The page refuses a token without a name, naming the field; too far an expiry too.
        var noName = await Html.ParseAsync(await ownerClient.SubmitAsync("/compte/jetons", new Dictionary<string, string>
        {
            ["Input.Name"] = "", ["Input.Scope"] = "write", ["Input.ExpiresOn"] = DateTime.Today.AddDays(10).ToString("yyyy-MM-dd"),
        }, "#creer-jeton"));
        Assert.Equal(["Saisissez le nom du jeton."], noName.Texts("#resume-erreurs li"));
        var tooFar = await Html.ParseAsync(await ownerClient.SubmitAsync("/compte/jetons", new Dictionary<string, string>
        {
            ["Input.Name"] = "Long", ["Input.Scope"] = "write", ["Input.ExpiresOn"] = DateTime.Today.AddYears(2).ToString("yyyy-MM-dd"),
        }, "#creer-jeton"));
        Assert.Equal(["Un jeton est valable au plus 366 jours : choisissez une date plus proche."], tooFar.Texts("#resume-erreurs li"));
        Assert.Equal("Long", tooFar.QuerySelector("#Input_Name")!.GetAttribute("value"));
    }

    [Fact]
    public async Task PublicEndpoints_AndTheOpenApiDocument_ListingEveryEndpoint()
    {
        var anonymous = portal.CreateAnonymousClient();
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/api/v1/register")).StatusCode);
        var unknown = await anonymous.GetAsync("/api/v1/verification/AAAA-BBBB-CCCC-DDDD");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType!.MediaType);

        var document = JsonNode.Parse(await anonymous.GetStringAsync("/api/v1/openapi.json"))!;
        Assert.StartsWith("3.", (string?)document["openapi"], StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        var operations = paths.SelectMany(p => p.Value!.AsObject().Select(o => $"{o.Key.ToUpperInvariant()} {p.Key}")).Order().ToList();
        Assert.Equal(new[]
        {
            "GET /api/v1/applications", "GET /api/v1/applications/{key}", "GET /api/v1/applications/{reference}/letter",
            "GET /api/v1/applications/{reference}/receipt", "GET /api/v1/register", "GET /api/v1/verification/{code}",
            "POST /api/v1/applications", "POST /api/v1/applications/{id}/documents", "POST /api/v1/applications/{id}/submit",
            "PUT /api/v1/applications/{id}/sections/{section}",
        }.Order(), operations);
        Assert.NotNull(document["components"]!["securitySchemes"]!["token"]);
        Assert.Null(paths["/api/v1/register"]!["get"]!["security"]);
        Assert.NotNull(paths["/api/v1/applications"]!["get"]!["security"]);

        // The reference page: served by the portal, its script allowed by a nonce in the CSP.
        var reference = await anonymous.GetAsync("/api/v1/reference/");
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Matches("script-src 'self' 'nonce-[^']+'", reference.Headers.GetValues("Content-Security-Policy").Single());
        var referenceHtml = await reference.Content.ReadAsStringAsync();
        Assert.DoesNotContain("cdn.jsdelivr", referenceHtml);
        // In English, and says so (a screen reader would otherwise read it in the user's language).
        Assert.Contains("<html lang=\"en\">", referenceHtml);
    }
}

/// <summary>Its own portal, allowed 3 requests a minute per token.</summary>
public sealed class ApiRateLimitTests(ApiRateLimitTests.Factory portal) : IClassFixture<ApiRateLimitTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Api:RequestsPerMinute", "3");
        }
    }

    [Fact]
    public async Task EachToken_HasItsOwnBudget_AndIsToldWhenToComeBack()
    {
        var signedIn = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var first = portal.WithToken(await ApiClients.CreateTokenAsync(signedIn, "un"));
        var second = portal.WithToken(await ApiClients.CreateTokenAsync(signedIn, "deux"));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/api/v1/applications")).StatusCode);
        }

        var limited = await first.GetAsync("/api/v1/applications");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType!.MediaType);
        Assert.Equal("60", limited.Headers.GetValues("Retry-After").Single());
        Assert.Equal(HttpStatusCode.OK, (await second.GetAsync("/api/v1/applications")).StatusCode);
    }
}
