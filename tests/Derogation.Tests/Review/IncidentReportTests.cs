using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Review;

public sealed class IncidentReportTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, TestUser Manufacturer, HttpClient Reviewer, TestUser ReviewerUser)> GrantedIndividualAsync()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientForAsync(manufacturer));
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);
        return (reference, manufacturer, reviewer, reviewerUser);
    }

    private static Dictionary<string, string> Report(string reference) => new()
    {
        ["Input.DerogationReference"] = reference.ToLowerInvariant(), ["Input.ReporterRole"] = "Prescriber", ["Input.ReporterName"] = "Dr Claire Fontaine",
        ["Input.ReporterEmail"] = "c.fontaine@chu.example", ["Input.ConcernsPatient"] = "true", ["Input.EventYear"] = "2026",
        ["Input.Description"] = "Déconnexion du capteur après 48 heures d'utilisation ; le dispositif a été remplacé.",
    };

    [Fact]
    public async Task Prescriber_WithoutAccount_Reports_AnsmAndTheManufacturerAreTold_AndSeeIt()
    {
        var (reference, manufacturer, reviewer, reviewerUser) = await GrantedIndividualAsync();
        var anonymous = portal.CreateAnonymousClient();
        var form = await Html.ParseAsync(await anonymous.GetAsync($"/signalements/nouveau?reference={reference}"));
        Assert.Equal(reference, form.QuerySelector("#Input_DerogationReference")!.GetAttribute("value"));
        Assert.Equal("https://signalement.social-sante.gouv.fr/", form.QuerySelector("#vigilance a")!.GetAttribute("href"));

        var sent = await anonymous.SubmitAsync(form, "/signalements/nouveau", Report(reference));
        Assert.Equal("/signalements/nouveau", sent.Headers.Location!.OriginalString);
        var confirmation = await Html.ParseAsync(await anonymous.GetAsync("/signalements/nouveau"));
        Assert.Matches(@"^Signalement SIG-\d{4}-\d{5} enregistré\.", confirmation.Text("#signalement-enregistre"));

        await portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.StartsWith("Signalement SIG-", StringComparison.Ordinal));
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.StartsWith("Signalement SIG-", StringComparison.Ordinal));

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("Déconnexion du capteur après 48 heures", caseFile.Text("#signalements .incident-report .fr-callout__text"), StringComparison.Ordinal);
        Assert.Contains("survenu en 2026", caseFile.Text("#signalements .incident-report .fr-text--sm"), StringComparison.Ordinal);
        var list = await Html.ParseAsync(await reviewer.GetAsync("/instruction/signalements"));
        Assert.Contains(reference, list.Texts("#liste-signalements tbody td:nth-child(2)"));
        var manufacturerPage = await Html.ParseAsync(await (await portal.CreateClientForAsync(manufacturer)).GetAsync($"/demandes/{reference}"));
        Assert.NotNull(manufacturerPage.QuerySelector("#signalements .incident-report"));
    }

    [Fact]
    public async Task ReportAboutAPatient_TakesTheYearOnly_AndTheAnonymisationRules_AndAnUnknownReferenceRevealsNothing()
    {
        var (reference, _, _, _) = await GrantedIndividualAsync();
        var anonymous = portal.CreateAnonymousClient();
        var values = Report(reference);
        values["Input.EventDate"] = "2026-11-02";
        values["Input.Description"] = "Mme Dupont, née le 12/03/1962, a présenté une réaction.";
        var page = await Html.ParseAsync(await anonymous.SubmitAsync("/signalements/nouveau", values));
        var errors = page.Texts("#resume-erreurs li");
        Assert.Contains("Date de l'événement : elle ne doit pas être donnée quand le signalement concerne un patient ; indiquez seulement l'année.", errors);
        Assert.Contains(errors, e => e.StartsWith("Description de l'incident", StringComparison.Ordinal) && e.Contains("12/03/1962", StringComparison.Ordinal));
        Assert.Equal("Dr Claire Fontaine", page.QuerySelector("#Input_ReporterName")!.GetAttribute("value"));

        // A reference under which nothing was granted gets the same answer as a granted one: the form does not tell who
        // holds which derogation. The report is kept and listed for ANSM, marked as matching no derogation.
        var unknown = await anonymous.SubmitAsync("/signalements/nouveau", Report("DIV-2020-99999"));
        Assert.Equal("/signalements/nouveau", unknown.Headers.Location?.OriginalString);
        var (pending, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var notGranted = await anonymous.SubmitAsync("/signalements/nouveau", Report(pending));
        Assert.Equal("/signalements/nouveau", notGranted.Headers.Location?.OriginalString);
        var list = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync("/instruction/signalements"));
        var row = list.QuerySelectorAll("#liste-signalements tbody tr").Single(r => r.TextContent.Contains("DIV-2020-99999", StringComparison.Ordinal));
        Assert.Equal("aucune dérogation accordée sous cette référence", row.QuerySelector(".reference-sans-derogation")!.TextContent.Trim());
        Assert.Null(row.QuerySelector("a"));

        // A reference that cannot be one is named, with the expected shape.
        var malformed = await Html.ParseAsync(await anonymous.SubmitAsync("/signalements/nouveau", Report("ABC-12")));
        Assert.StartsWith("Référence de la dérogation : saisissez-la comme sur la lettre de décision", malformed.Texts("#resume-erreurs li")[0], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await (await portal.CreateClientAsAsync(Roles.Manufacturer)).GetAsync("/instruction/signalements")).StatusCode);
    }
}
