using System.IO.Compression;
using System.Net;
using System.Text.Json.Nodes;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Json.Schema;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Tests.Review;

/// <summary>
/// MDR Art. 59(2), IVDR Art. 54(2): each granted global derogation, and each measure on it, gives ANSM a notification
/// package (JSON that validates against docs/eu-notification.schema.json, and a PDF summary) and a mark once sent.
/// </summary>
public sealed class EuNotificationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static readonly JsonSchema Schema = JsonSchema.FromFile(Path.Combine(RepositoryRoot.Path, "docs", "eu-notification.schema.json"));

    private static void AssertValid(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        var result = Schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List, RequireFormatValidation = true });
        Assert.True(result.IsValid, System.Text.Json.JsonSerializer.Serialize(result));
    }

    [Fact]
    public async Task GrantAndSuspension_GivePackages_ThatValidate_ReadBack_AndAreMarkedSentOnce()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(manufacturer);
        var (reviewer, signatory) = await portal.GrantAsync(reference, new Dictionary<string, string> { ["Conditions.ValidFrom"] = "2027-01-01", ["Conditions.ValidUntil"] = "2027-12-31", ["Conditions.MaxPatients"] = "40" });
        var (individual, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        await portal.GrantAsync(individual);

        // The list: the global grant, to send; never the individual derogation.
        var list = await Html.ParseAsync(await reviewer.GetAsync("/instruction/notifications-ue?filtre=a-envoyer"));
        var rows = list.QuerySelectorAll("tbody tr").Where(r => r.TextContent.Contains(reference, StringComparison.Ordinal)).ToList();
        var row = Assert.Single(rows);
        Assert.Contains("Dérogation accordée", row.TextContent);
        Assert.Contains("À envoyer", row.TextContent);
        Assert.DoesNotContain(individual, list.Body!.TextContent);

        // The package: a ZIP with the JSON and the PDF.
        var zipLink = row.QuerySelector("a.fr-link--download")!.GetAttribute("href")!;
        var zipResponse = await reviewer.GetAsync(zipLink);
        Assert.Equal("application/zip", zipResponse.Content.Headers.ContentType!.MediaType);
        using var zip = new ZipArchive(new MemoryStream(await zipResponse.Content.ReadAsByteArrayAsync()));
        Assert.Equal(2, zip.Entries.Count);
        var jsonEntry = zip.Entries.Single(e => e.Name.EndsWith(".json", StringComparison.Ordinal));
        Assert.StartsWith($"notification-ue-{reference}-authorisation-", jsonEntry.Name, StringComparison.Ordinal);
        string json;
        using (var reader = new StreamReader(jsonEntry.Open()))
        {
            json = await reader.ReadToEndAsync();
        }

        AssertValid(json);
        var document = JsonNode.Parse(json)!;
        Assert.Equal("Authorisation", (string?)document["event"]!["kind"]);
        Assert.Equal(reference, (string?)document["derogation"]!["reference"]);
        Assert.Equal("2027-12-31", (string?)document["derogation"]!["validUntil"]);
        Assert.Equal(40, (int?)document["derogation"]!["maxPatients"]);
        Assert.Equal("Implant rachidien Modulo", (string?)document["device"]!["tradeName"]);
        Assert.Equal(3, document["device"]!["references"]!.AsArray().Count);
        Assert.Equal("Regulation (EU) 2017/745, Article 59(2)", (string?)document["legalBasis"]);
        Assert.Equal("Patients porteurs d'un implant Modulo nécessitant une révision.", (string?)document["indication"]);
        Assert.Equal("Considérant l'absence d'alternative.", (string?)document["derogation"]!["justificationSummary"]);
        // Organisations and the device only: not the contact person the applicant named.
        Assert.DoesNotContain("Jean Martin", json);
        Assert.DoesNotContain("jean.martin@ortho.example", json);

        await using var pdfStream = zip.Entries.Single(e => e.Name.EndsWith(".pdf", StringComparison.Ordinal)).Open();
        using var pdfBytes = new MemoryStream();
        await pdfStream.CopyToAsync(pdfBytes);
        var text = await PdfText.ReadAsync(pdfBytes.ToArray());
        Assert.Contains("Notification to the European Commission and the Member States", text);
        Assert.Contains(reference, text);
        Assert.Contains("Implant rachidien Modulo", text);
        Assert.Contains("31 December 2027", text);
        Assert.Contains("Derogation granted", text);
        Assert.DoesNotContain("Jean Martin", text);

        // The JSON and the PDF alone say the same.
        Assert.Equal("application/json", (await reviewer.GetAsync(zipLink + "&format=json")).Content.Headers.ContentType!.MediaType);
        Assert.Equal("application/pdf", (await reviewer.GetAsync(zipLink + "&format=pdf")).Content.Headers.ContentType!.MediaType);

        // Marked as sent from the case file: back there, with who and when; a second mark changes nothing.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var marked = await reviewer.SubmitAsync(caseFile, $"/instruction/{reference}", new Dictionary<string, string>(), "#notification-ue form");
        Assert.Equal(HttpStatusCode.Redirect, marked.StatusCode);
        Assert.Equal($"/instruction/{reference}#notification-ue", marked.Headers.Location!.OriginalString);
        var after = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("Envoyée", after.Text("#notification-ue tbody tr"));
        Assert.True(after.Text("#notification-ue tbody tr").Contains("Utilisateur Test", StringComparison.Ordinal), after.Text("#notification-ue tbody tr"));
        Assert.Contains("Notification marquée comme envoyée.", after.Body!.TextContent);
        var sourceId = zipLink.Split("id=")[1].Split('&')[0];
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitPairsAsync($"/instruction/notifications-ue?handler=Sent&id={sourceId}", [], $"/instruction/{reference}")).StatusCode);
        // A forged return address (posted directly) never sends the reviewer off the portal: back to the list instead.
        foreach (var forged in new[] { "https://ansm.example.evil/instruction", "//evil.example/instruction", "/\\evil.example" })
        {
            var bounced = await reviewer.SubmitPairsAsync($"/instruction/notifications-ue?handler=Sent&id={sourceId}", [new("retour", forged)], $"/instruction/{reference}");
            Assert.Equal(HttpStatusCode.Redirect, bounced.StatusCode);
            Assert.StartsWith("/instruction/notifications-ue", bounced.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        await using (var db = new DerogationDbContext(DerogationDbContext.Options(portal.ConnectionString)))
        {
            Assert.Equal(1, await db.EuNotificationMarks.CountAsync(m => m.ApplicationId == id));
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Action == "EuNotificationSent" && e.SubjectId == reference));
        }

        var toSend = await Html.ParseAsync(await reviewer.GetAsync("/instruction/notifications-ue?filtre=a-envoyer"));
        Assert.DoesNotContain(reference, toSend.Body!.TextContent);

        // A suspension: a second package, its reasons in the event.
        var proposed = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Suspension",
            new Dictionary<string, string> { ["Reasons"] = "Considérant un signal de vigilance.", ["SignatoryId"] = signatory.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        await portal.SignAsync(reference, signatory);
        var withSuspension = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var suspensionRow = withSuspension.QuerySelectorAll("#notification-ue tbody tr").Single(r => r.TextContent.Contains("Suspension", StringComparison.Ordinal));
        Assert.Contains("À envoyer", suspensionRow.TextContent);
        var suspensionJson = await reviewer.GetStringAsync(suspensionRow.QuerySelector("a.fr-link--download")!.GetAttribute("href") + "&format=json");
        AssertValid(suspensionJson);
        Assert.Equal("Suspension", (string?)JsonNode.Parse(suspensionJson)!["event"]!["kind"]);
        Assert.Equal("Considérant un signal de vigilance.", (string?)JsonNode.Parse(suspensionJson)!["event"]!["reasons"]);

        // Nothing to download or mark for an unknown event; the applicant cannot reach any of it.
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/instruction/notifications-ue?handler=Package&id={Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.SubmitPairsAsync($"/instruction/notifications-ue?handler=Sent&id={Guid.NewGuid()}", [], $"/instruction/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturer.GetAsync(zipLink)).StatusCode);
    }
}
