using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>The annual derogation for partial revisions of already implanted prostheses (docs/adr/0006).</summary>
public sealed class AnnualProsthesisTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<Guid> DraftUpToPerimeterAsync(HttpClient client, string legalBasis)
    {
        var started = await client.SubmitAsync("/demandes/globale/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in GlobalWizardFill.Steps().TakeWhile(s => s.Slug != "perimetre"))
        {
            var values = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            if (slug == "parties")
            {
                values["Input.LegalBasis"] = legalBasis;
            }

            if (slug == "dispositif" && legalBasis == "InVitroDiagnostic")
            {
                values["Input.RiskClass"] = "C";
                values["Input.MethodPrinciple"] = "Méthode.";
                values["Input.InterpretationPrinciple"] = "Interprétation.";
                values["Input.StabilityData"] = "12 mois.";
                values["Input.StorageConditions"] = "+4 °C.";
            }

            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", values)).StatusCode);
        }

        return id;
    }

    [Fact]
    public async Task AnnualProsthesis_IsForMedicalDevices_AndTwelveMonthsExactly()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var perimeter = new Dictionary<string, string>(GlobalWizardFill.Steps().Single(s => s.Slug == "perimetre").Fields)
        {
            ["Input.AnnualProsthesisRevision"] = "true", ["Input.ProsthesisKind"] = "Joint", ["Input.ValidUntil"] = "2027-10-31", ["action"] = "continuer",
        };
        var md = await DraftUpToPerimeterAsync(client, "MedicalDevice");
        var page = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{md}/perimetre", perimeter));
        Assert.Equal(["Fin de validité : la dérogation annuelle pour prothèses vaut 12 mois exactement ; indiquez le 31/12/2027."], page.Texts("#resume-erreurs li"));

        var ivd = await DraftUpToPerimeterAsync(client, "InVitroDiagnostic");
        perimeter["Input.ValidUntil"] = "2027-12-31";
        page = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{ivd}/perimetre", perimeter));
        Assert.StartsWith("Dérogation annuelle pour prothèses : elle ne concerne que les dispositifs médicaux", page.Text("#resume-erreurs li"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recap_ListsEveryElement_NamesWhatIsMissing_AndItsExtensionRequest_LeadsToAReasonedExtension()
    {
        var manufacturerUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var manufacturer = await portal.CreateClientForAsync(manufacturerUser);
        var (reference, id) = await Filing.SubmitGlobalAsync(manufacturer, references: 3, annualProsthesis: true);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidFrom"] = "2027-01-01",
            ["Conditions.ValidUntil"] = "2027-12-31", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);

        var recapResponse = await manufacturer.GetAsync($"/demandes/{reference}/bilan-annuel");
        var form = await Html.ParseAsync(recapResponse);
        Assert.Equal(3, form.QuerySelectorAll("#elements tbody tr").Length);
        var refused = await Html.ParseAsync(await manufacturer.SubmitAsync(form, $"/demandes/{reference}/bilan-annuel", new Dictionary<string, string>
        {
            ["Lines[0].Quantity"] = "4", ["Lines[0].Establishments"] = "", ["Lines[1].Quantity"] = "0", ["ExtensionRequested"] = "true",
        }));
        var codes = form.QuerySelectorAll("#elements tbody tr input[type=hidden]").Select(i => i.GetAttribute("value")!).ToList();
        Assert.Equal(
        [
            $"Établissements — {codes[0]} : indiquez les établissements où l'élément a été utilisé.",
            $"Quantité utilisée — {codes[2]} : elle est obligatoire ; indiquez 0 si l'élément n'a pas été utilisé.",
        ], refused.Texts("#resume-erreurs li"));
        Assert.Equal("4", refused.QuerySelector("#Lines_0__Quantity")!.GetAttribute("value"));

        var filed = await manufacturer.SubmitAsync(form, $"/demandes/{reference}/bilan-annuel", new Dictionary<string, string>
        {
            ["Lines[0].Quantity"] = "4", ["Lines[0].Establishments"] = "CHU de Lyon", ["Lines[1].Quantity"] = "0", ["Lines[2].Quantity"] = "1",
            ["Lines[2].Establishments"] = "CHU de Bordeaux", ["ExtensionRequested"] = "true",
        });
        Assert.Equal($"/demandes/{reference}", filed.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await manufacturer.GetAsync($"/demandes/{reference}/bilan-annuel")).StatusCode);
        Assert.NotNull((await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}/bilan-annuel"))).QuerySelector("#bilan-depose"));

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("prolongation de 12 mois demandée", caseFile.Text("#bilans caption"), StringComparison.Ordinal);
        Assert.Equal([$"{codes[0]} — ", "4", "CHU de Lyon"], caseFile.Texts("#bilans tbody tr:first-child td").Select((t, i) => i == 0 ? t[..(codes[0].Length + 3)] : t));
        Assert.NotNull(caseFile.QuerySelector($"a[href='/instruction/{reference}/mesure?type=Extension']"));

        var extended = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Extension", new Dictionary<string, string>
        {
            ["Reasons"] = "Considérant le bilan d'utilisation, sans incident signalé.", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);
        Assert.Equal(HttpStatusCode.Redirect, extended.StatusCode);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var measure = await db.GrantMeasures.AsNoTracking().SingleAsync(m => m.ApplicationId == id);
        Assert.Equal(new DateOnly(2028, 12, 31), measure.NewValidUntil);
        var letter = await db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == measure.LetterDocumentId);
        Assert.Contains("est prolongée de douze mois, jusqu'au 31 décembre 2028 inclus", Regex.Replace(await PdfText.ReadAsync(letter.Content), @"\s+", " "), StringComparison.Ordinal);
        var register = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/derogations-globales?recherche={reference}"));
        Assert.Equal("du 01/01/2027 au 31/12/2028", register.QuerySelectorAll("#registre tbody td")[4].TextContent.Trim());
        // The next anniversary opens its own recap.
        Assert.Null((await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}/bilan-annuel"))).QuerySelector("#bilan-depose"));
    }

    [Fact]
    public async Task BeforeTheAnniversary_TheManufacturerIsRemindedToFileTheRecap_NotToStartANewApplication()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(await portal.CreateClientForAsync(manufacturer), annualProsthesis: true);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidFrom"] = "2027-01-01",
            ["Conditions.ValidUntil"] = "2027-12-31", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);

        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var db = services.GetRequiredService<DerogationDbContext>();
        await new Derogation.Core.Review.ExpiryService(db, new Derogation.Core.Review.ExpiryOptions(), services.GetRequiredService<Derogation.Core.Notifications.OutboxSignal>(),
            new FixedClock(new DateTimeOffset(2027, 11, 15, 9, 0, 0, TimeSpan.Zero)), TestLinks.At(services)).RunAsync();
        var reminder = await db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ApplicationId == id && m.Purpose == "ExpiryReminder");
        Assert.Equal(manufacturer.Email, reminder.Recipient);
        Assert.Contains($"https://derogations.test/demandes/{reference}/bilan-annuel", reminder.Body, StringComparison.Ordinal);
        Assert.Contains("Déposez le bilan annuel des éléments utilisés", reminder.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("prolongation?reference=", reminder.Body, StringComparison.Ordinal);
    }
}
