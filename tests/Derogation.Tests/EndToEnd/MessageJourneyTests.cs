using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>Issue acceptance (the reviewer's day): a message round trip in Chromium, applicant ↔ reviewer, with the e-mails and axe-core.</summary>
public sealed class MessageJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task TheApplicantWrites_TheReviewerReadsAndAnswers_TheApplicantReadsTheAnswer()
    {
        var applicantUser = await Portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(await Portal.CreateClientForAsync(applicantUser));
        var reviewerUser = await Portal.CreateUserAsync(Roles.Reviewer);
        await Filing.TakeAsync(await Portal.CreateClientForAsync(reviewerUser), reference);
        var problems = new List<string>();

        await using (var applicantPage = await SignedInPageAsync(applicantUser))
        {
            var page = applicantPage.Page;
            await page.GotoAsync($"/demandes/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
            await applicantPage.WaitForPathAsync("/messages");
            // Something that names the patient first: refused beside the field, the text kept.
            await page.Locator("#Text").FillAsync("M. Martin sera opéré le 14/01.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();
            Assert.Contains("M. Martin", await page.Locator("#resume-erreurs").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("M. Martin sera opéré le 14/01.", await page.Locator("#Text").InputValueAsync());
            problems.AddRange(await applicantPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("#Text").FillAsync("L'intervention est programmée la semaine prochaine : la décision peut-elle intervenir avant ?");
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();
            await page.Locator("#dernier-message").WaitForAsync();
            Assert.Equal("pas encore lu", (await page.Locator("#fil .message-lu").InnerTextAsync()).Trim());
        }

        await Portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject == $"Demande {reference} : nouveau message / new message");
        await using (var reviewerPage = await SignedInPageAsync(reviewerUser))
        {
            var page = reviewerPage.Page;
            await page.GotoAsync($"/instruction/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Messages — 1 non lu(s)" }).ClickAsync();
            await reviewerPage.WaitForPathAsync("/messages");
            Assert.Contains("la décision peut-elle intervenir avant", await page.Locator("#fil").InnerTextAsync(), StringComparison.Ordinal);
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("#Text").FillAsync("Oui : la décision est prévue pour jeudi.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer le message" }).ClickAsync();
            await page.Locator("#dernier-message").WaitForAsync();
        }

        await Portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject == $"Demande {reference} : nouveau message / new message");
        await using (var applicantPage = await SignedInPageAsync(applicantUser))
        {
            var page = applicantPage.Page;
            await page.GotoAsync($"/demandes/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Messages — 1 non lu(s)" }).ClickAsync();
            await applicantPage.WaitForPathAsync("/messages");
            Assert.Equal("Oui : la décision est prévue pour jeudi.", (await page.Locator("#dernier-message .message-texte").InnerTextAsync()).Trim());
            Assert.StartsWith("lu le ", (await page.Locator("#fil .message-lu").First.InnerTextAsync()).Trim(), StringComparison.Ordinal);
            problems.AddRange(applicantPage.Problems);
        }

        Assert.Empty(problems);
    }
}
