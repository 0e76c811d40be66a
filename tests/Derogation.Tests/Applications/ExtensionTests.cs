using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

/// <summary>An extension: a new global application, prefilled from a granted one and linked to it.</summary>
public sealed class ExtensionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>Files and submits a complete global application, then marks it as ANSM would once granted.</summary>
    private async Task<string> GrantedGlobalAsync(HttpClient client, ApplicationStatus status = ApplicationStatus.Granted)
    {
        var started = await client.SubmitAsync("/demandes/globale/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in GlobalWizardFill.Steps(references: 4, earlier: 1))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.UploadGlobalAsync(client, id, earlierDerogationsDeclared: true);
            }

            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        // The decision itself is the reviewer workspace's work; here the status is set as a decision would.
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        await db.Applications.Where(a => a.Id == id).ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, status));
        return reference;
    }

    [Fact]
    public async Task Extension_IsPrefilledFromTheGrantedDerogation_AndLinkedToIt()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var earlier = await GrantedGlobalAsync(client);

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{earlier}"));
        Assert.Equal($"/demandes/globale/prolongation?reference={earlier}", page.QuerySelector("a.fr-btn[href*='prolongation']")!.GetAttribute("href"));

        var started = await client.SubmitAsync($"/demandes/globale/prolongation?reference={earlier}", new Dictionary<string, string> { ["Reference"] = earlier.ToLowerInvariant() });
        Assert.EndsWith("/parties", started.Headers.Location!.OriginalString);
        var id = Guid.Parse(started.Headers.Location.OriginalString.Split('/')[2]);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            var draft = await db.Applications.AsNoTracking().Include(a => a.Extends).SingleAsync(a => a.Id == id);
            Assert.Equal(earlier, draft.Extends!.Reference);
            Assert.Equal(ApplicationKind.Global, draft.Kind);
            Assert.Equal(4, draft.Answers.Device.ReferenceList.Count);
            Assert.Equal("Implant rachidien Modulo", draft.DeviceName);
            Assert.Null(draft.Answers.GlobalScope.ValidFrom);
            // The documents about the device still apply: carried over (their own copy), marked; the CE-marking plan and
            // the assessment of earlier derogations are to be filed again.
            Assert.Equal(["DeviceDescription", "GsprDeclaration", "SafetyPerformanceSummary"], draft.Answers.Documents.Select(d => d.Type.ToString()).Order());
            Assert.All(draft.Answers.Documents, d => Assert.Equal(earlier, d.CarriedOverFrom));
            var earlierDocuments = (await db.Applications.AsNoTracking().SingleAsync(a => a.Reference == earlier)).Answers.Documents;
            Assert.All(draft.Answers.Documents, d => Assert.DoesNotContain(earlierDocuments, e => e.Id == d.Id));
            var carried = draft.Answers.Documents.First();
            var bytes = await (await client.GetAsync($"/demandes/{id}/documents/{carried.Id}")).Content.ReadAsByteArrayAsync();
            Assert.Equal(carried.Sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)));
            Assert.Equal(earlierDocuments.Single(e => e.Type == carried.Type).Sha256, carried.Sha256);
            Assert.False(draft.Answers.Declarations.InformationAccurate);
            Assert.Equal(earlier, draft.Answers.EarlierDerogations.Derogations[0].DecisionReference);
        }

        var draftPage = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}"));
        Assert.Equal($"Prolongation de la dérogation {earlier}", draftPage.Text("main p:has(a[href='/demandes/" + earlier + "'])"));

        // Completed and submitted, the extension's receipt names the derogation it extends.
        var earlierRow = GlobalWizardFill.EarlierDerogations(1);
        earlierRow["Input.Derogations[0].DecisionReference"] = earlier;
        foreach (var (slug, fields) in GlobalWizardFill.Steps(references: 4, earlier: 1))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.UploadGlobalAsync(client, id, earlierDerogationsDeclared: true);
                // The documents step shows what was carried over; the applicant confirms each still applies.
                var documentsPage = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"));
                Assert.Equal(3, documentsPage.QuerySelectorAll(".document-repris").Length);
                Assert.Equal($"Repris de {earlier}", documentsPage.Text(".document-repris"));
                await WizardDocuments.ConfirmCarriedOverAsync(client, id);
                Assert.Equal(3, (await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/documents"))).QuerySelectorAll(".document-confirme").Length);
            }

            var values = slug == "derogations-anterieures" ? earlierRow : fields;
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(values) { ["action"] = "continuer" });
        }

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        // The reviewer sees which documents were carried over from the derogation extended.
        var caseFile = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync($"/instruction/{reference}"));
        Assert.Equal(3, caseFile.QuerySelectorAll("#documents .document-repris").Length);
        var text = Regex.Replace(await PdfText.ReadAsync(await (await client.GetAsync($"/demandes/{reference}/recepisse")).Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.Contains($"Prolongation de {earlier}", text);
    }

    [Fact]
    public async Task Extension_OfAnUnknownAnUngrantedOrSomeoneElsesDerogation_IsRefused()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var submittedOnly = await GrantedGlobalAsync(client, ApplicationStatus.Submitted);
        var someoneElses = await GrantedGlobalAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));

        foreach (var reference in new[] { "DGL-1999-00001", submittedOnly, someoneElses })
        {
            var page = await Html.ParseAsync(await client.SubmitAsync("/demandes/globale/prolongation", new Dictionary<string, string> { ["Reference"] = reference }));
            Assert.Equal($"Aucune dérogation globale accordée portant la référence « {reference} » n'est accessible à votre organisation. Vérifiez la référence.",
                page.Text("#Reference-messages"));
            Assert.Equal(reference, page.QuerySelector("#Reference")!.GetAttribute("value"));
        }

        var empty = await Html.ParseAsync(await client.SubmitAsync("/demandes/globale/prolongation", new Dictionary<string, string> { ["Reference"] = "" }));
        Assert.StartsWith("Référence de la dérogation globale à prolonger : saisissez-la", empty.Text("#Reference-messages"));
    }
}
