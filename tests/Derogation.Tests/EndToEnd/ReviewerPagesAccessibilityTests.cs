using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.EndToEnd;

/// <summary>The reviewers' pages built for the workspace and after the decision, each checked by axe-core in Chromium.</summary>
public sealed class ReviewerPagesAccessibilityTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task CaseFile_Assignment_Measures_AndIncidentList_HaveNoSeriousAccessibilityViolation()
    {
        var manufacturer = await Portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitGlobalAsync(manufacturer, annualProsthesis: true);
        var seniorUser = await Portal.CreateUserAsync(Roles.SeniorReviewer);
        var senior = await Portal.CreateClientForAsync(seniorUser);
        var queue = await Html.ParseAsync(await senior.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await senior.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await Portal.CreateUserAsync(Roles.Signatory);
        await senior.CompleteGridAsync(reference);
        await senior.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidFrom"] = "2027-01-01",
            ["Conditions.ValidUntil"] = "2027-12-31", ["SignatoryId"] = signatory.Id.ToString(),
            ["OtherRecipients"] = "Agence régionale de santé ; ars@example.fr",
        });
        await Portal.SignAsync(reference, signatory);
        await Portal.CreateAnonymousClient().SubmitAsync($"/signalements/nouveau?reference={reference}", new Dictionary<string, string>
        {
            ["Input.DerogationReference"] = reference, ["Input.ReporterRole"] = "Establishment", ["Input.ReporterName"] = "Service biomédical",
            ["Input.ReporterEmail"] = "biomed@chu.example", ["Input.RiskOnly"] = "true", ["Input.Description"] = "Emballage stérile endommagé à réception.",
        });

        Guid letter;
        string code;
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Derogation.Core.Data.DerogationDbContext>();
            var decision = await db.Decisions.SingleAsync(d => db.Applications.Any(a => a.Id == d.ApplicationId && a.Reference == reference));
            (letter, code) = (decision.LetterDocumentId!.Value, decision.VerificationCode!);
        }

        var problems = new List<string>();
        await using var page = await SignedInPageAsync(seniorUser);
        foreach (var path in new[]
                 {
                     $"/instruction/{reference}", $"/instruction/{reference}/mesure?type=Suspension", $"/instruction/{reference}/mesure?type=Withdrawal",
                     "/instruction/signalements", "/instruction/alertes", "/instruction/statistiques", $"/instruction/{reference}/grille", $"/instruction/{reference}/avis", $"/instruction/{reference}/rectification?lettre={letter}", $"/verification/{code}",
                 })
        {
            var response = await page.Page.GotoAsync(path);
            Assert.True(response!.Ok, $"{path} answered {response.Status}");
            problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"{path}: {v}"));
        }

        // A second application, still open, for the assignment page.
        var (open, _) = await Filing.SubmitIndividualAsync(await Portal.CreateClientAsAsync(Roles.Manufacturer));
        Assert.True((await page.Page.GotoAsync($"/instruction/{open}/attribution"))!.Ok);
        Assert.Equal($"Attribuer — {open}", await page.Page.Locator("h1").InnerTextAsync());
        problems.AddRange((await page.SeriousAccessibilityViolationsAsync()).Select(v => $"attribution: {v}"));
        // The expert's pages, once an opinion is asked of them.
        var expert = await Portal.CreateUserAsync(Roles.Expert);
        var holder = await Portal.CreateClientForAsync(seniorUser);
        await holder.SubmitPairsAsync($"/instruction/{open}/avis",
            [new("ExpertId", expert.Id.ToString()), new("Question", "Avis sur la biocompatibilité ?"), new("Deadline", DateTime.Today.AddDays(5).ToString("yyyy-MM-dd"))]);
        await using var expertPage = await SignedInPageAsync(expert);
        Assert.True((await expertPage.Page.GotoAsync("/avis"))!.Ok);
        problems.AddRange((await expertPage.SeriousAccessibilityViolationsAsync()).Select(v => $"/avis: {v}"));
        await expertPage.Page.Locator("#avis-demandes a").First.ClickAsync();
        await expertPage.Page.Locator("#question").WaitForAsync();
        Assert.StartsWith("Avis demandé — ", await expertPage.Page.Locator("h1").InnerTextAsync(), StringComparison.Ordinal);
        problems.AddRange((await expertPage.SeriousAccessibilityViolationsAsync()).Select(v => $"/avis/{{id}}: {v}"));
        problems.AddRange(page.Problems);
        problems.AddRange(expertPage.Problems);
        Assert.Empty(problems);
    }
}
