using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Derogation.Tests.EndToEnd;

/// <summary>
/// Issues' acceptance (reviewer workspace, decision letter), all in Chromium with an accessibility check on every
/// new page: a consultant files; a reviewer takes the application and requests information naming one section;
/// the consultant amends that section and answers; the reviewer sees the difference between the versions
/// and proposes a grant with conditions; the signatory returns it with a comment; the reviewer amends it; the
/// signatory signs it with a code from their authenticator app; the manufacturer downloads the letter, which names the signatory; the prescriber's and the
/// director's copies are in the pickup folder with the letter attached; the public page confirms the code.
/// </summary>
public sealed class ReviewJourneyTests(Browser browser) : BrowserTest(browser)
{
    [Fact]
    public async Task File_Take_RequestInformation_Amend_CompareVersions_Grant_DownloadTheLetter_AndVerifyIt()
    {
        var consultant = await Portal.CreateUserAsync(Roles.Consultant);
        var manufacturer = await Portal.CreateUserAsync(Roles.Manufacturer);
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<Derogation.Core.Mandates.MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        }

        string reference;
        await using (var consultantPage = await SignedInPageAsync(consultant))
        {
            reference = await BrowserWizard.FileIndividualAsConsultantAsync(consultantPage, manufacturer.OrganisationId);
        }

        var reviewer = await Portal.CreateUserAsync(Roles.Reviewer);
        var signatory = await Portal.CreateUserAsync(Roles.Signatory, fullName: "Hélène Marchand");
        var authenticatorKey = await Portal.EnrolAuthenticatorAsync(signatory);
        var problems = new List<string>();

        await using (var reviewerPage = await SignedInPageAsync(reviewer))
        {
            var page = reviewerPage.Page;
            await page.GotoAsync($"/instruction?recherche={reference}");
            await page.GetByRole(AriaRole.Button, new() { Name = $"Prendre — {reference}" }).ClickAsync();
            // Taken: straight to the case file.
            await reviewerPage.WaitForPathAsync($"/instruction/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Demander des informations" }).ClickAsync();
            await reviewerPage.WaitForPathAsync("/demande-information");
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());

            await page.Locator("#Message").FillAsync("Précisez la révision exacte du modèle livré à l'établissement.");
            await page.Locator("label[for='section-Device']").ClickAsync();
            await page.Locator("#AnswerDeadline").FillAsync(DateTime.Today.AddDays(15).ToString("yyyy-MM-dd"));
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la demande d'information" }).ClickAsync();
            await reviewerPage.WaitForPathAsync($"/instruction/{reference}");
            Assert.Equal("Compléments demandés", (await page.Locator("main .fr-badge").First.TextContentAsync())!.Trim());
            Assert.Contains("Dispositif", await page.Locator(".information-request").InnerTextAsync());
            problems.AddRange(reviewerPage.Problems);
        }

        await using (var applicantPage = await SignedInPageAsync(consultant))
        {
            var page = applicantPage.Page;
            await page.GotoAsync($"/demandes/{reference}");
            Assert.Equal("Précisez la révision exacte du modèle livré à l'établissement.", await page.Locator(".information-request .fr-callout__text").InnerTextAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "Répondre à la demande d'information" }).ClickAsync();
            await applicantPage.WaitForPathAsync("/reponse");
            problems.AddRange(await applicantPage.SeriousAccessibilityViolationsAsync());

            // Only the section ANSM named can be amended.
            Assert.Equal(1, await page.GetByRole(AriaRole.Link, new() { Name = "Modifier cette section — Dispositif" }).CountAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = "Modifier cette section — Dispositif" }).ClickAsync();
            await applicantPage.WaitForPathAsync("/dispositif");
            problems.AddRange(await applicantPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("[name='Input.Model']").FillAsync("GS-500 révision C");
            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la modification" }).ClickAsync();
            await applicantPage.WaitForPathAsync("/reponse");
            Assert.Contains("GS-500 révision C", await page.Locator("#sections-modifiables").InnerTextAsync());

            await page.Locator("#Answer").FillAsync("Le modèle livré est la révision C ; la section Dispositif est corrigée.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Envoyer la réponse" }).ClickAsync();
            await applicantPage.WaitForPathAsync($"/demandes/{reference}");
            Assert.Equal("Réponse envoyée à l'ANSM. L'instruction reprend.", await page.Locator(".fr-alert--success").InnerTextAsync());
            problems.AddRange(applicantPage.Problems);
        }

        await using (var reviewerPage = await SignedInPageAsync(reviewer))
        {
            var page = reviewerPage.Page;
            await page.GotoAsync($"/instruction/{reference}");
            Assert.Equal("En cours d'instruction", (await page.Locator("main .fr-badge").First.TextContentAsync())!.Trim());
            await page.GetByRole(AriaRole.Link, new() { Name = "comparer avec la version 1" }).ClickAsync();
            await reviewerPage.WaitForPathAsync("/versions");
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());
            var rows = await page.Locator(".version-changes tbody tr").AllInnerTextsAsync();
            Assert.Equal(["Modèle\tGS-500\tGS-500 révision C"], rows.Select(r => r.Trim()));

            // The assessment grid, from the case file, before any proposal: an opinion and a comment per criterion.
            await page.GotoAsync($"/instruction/{reference}");
            await page.GetByRole(AriaRole.Link, new() { Name = "Remplir la grille" }).ClickAsync();
            await reviewerPage.WaitForPathAsync("/grille");
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());
            foreach (var criterion in new[] { "Benefit", "SafetyAndPerformance", "NoAlternative", "Urgency", "EarlierDerogations" })
            {
                await page.Locator($"label[for='avis-{criterion}-Favourable']").ClickAsync();
                await page.Locator($"#critere-{criterion} textarea").FillAsync("Établi par le dossier et la réponse du fabricant.");
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Enregistrer la grille" }).ClickAsync();
            await reviewerPage.WaitForPathAsync($"/instruction/{reference}");
            Assert.Equal("Complète", (await page.Locator("#grille-etat").TextContentAsync())!.Trim());

            await page.GotoAsync($"/instruction/{reference}/decision");
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("label[for='Outcome-0']").ClickAsync();
            await page.Locator("#Reasons").FillAsync("Considérant l'absence d'alternative marquée CE ;\nConsidérant la réponse apportée le jour même.");
            await page.Locator("#Conditions_ValidUntil").FillAsync(DateTime.Today.AddMonths(6).ToString("yyyy-MM-dd"));
            await page.Locator("#Conditions_MaxPatients").FillAsync("1");
            await page.Locator("#Conditions_FollowUp").FillAsync("Déclarer tout incident à l'ANSM sans délai.");
            await page.Locator("#SignatoryId").SelectOptionAsync(signatory.Id.ToString());
            await page.GetByRole(AriaRole.Button, new() { Name = "Transmettre pour signature" }).ClickAsync();
            await reviewerPage.WaitForPathAsync($"/instruction/{reference}");
            // Nothing is issued yet: the case waits for its signatory, still under review.
            Assert.Equal("En cours d'instruction", (await page.Locator("main .fr-badge").First.TextContentAsync())!.Trim());
            Assert.Equal("En attente de signature", (await page.Locator("#en-attente-signature").TextContentAsync())!.Trim());
            problems.AddRange(reviewerPage.Problems);
        }

        // The signatory finds it in "À signer", reads it and returns it with a comment.
        await using (var signatoryPage = await SignedInPageAsync(signatory))
        {
            var page = signatoryPage.Page;
            await page.GotoAsync("/instruction/signatures");
            problems.AddRange(await signatoryPage.SeriousAccessibilityViolationsAsync());
            await page.GetByRole(AriaRole.Link, new() { Name = reference }).ClickAsync();
            await signatoryPage.WaitForPathAsync("/signature");
            problems.AddRange(await signatoryPage.SeriousAccessibilityViolationsAsync());
            Assert.Contains("Déclarer tout incident à l'ANSM sans délai.", await page.Locator(".proposal-summary").InnerTextAsync());
            await page.Locator("#Comment").FillAsync("Précisez la durée du suivi après l'implantation.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Renvoyer la proposition" }).ClickAsync();
            await signatoryPage.WaitForPathAsync($"/instruction/{reference}");
            problems.AddRange(signatoryPage.Problems);
        }

        // The reviewer reads the comment beside the text they wrote, amends it and sends it again.
        await using (var reviewerPage = await SignedInPageAsync(reviewer))
        {
            var page = reviewerPage.Page;
            await page.GotoAsync($"/instruction/{reference}/decision");
            Assert.Contains("Précisez la durée du suivi après l'implantation.", await page.Locator("#proposition-renvoyee").InnerTextAsync());
            Assert.Equal("Déclarer tout incident à l'ANSM sans délai.", await page.Locator("#Conditions_FollowUp").InputValueAsync());
            problems.AddRange(await reviewerPage.SeriousAccessibilityViolationsAsync());
            await page.Locator("#Conditions_FollowUp").FillAsync("Déclarer tout incident à l'ANSM sans délai ; suivi clinique de six mois après l'implantation.");
            await page.GetByRole(AriaRole.Button, new() { Name = "Transmettre pour signature" }).ClickAsync();
            await reviewerPage.WaitForPathAsync($"/instruction/{reference}");
            problems.AddRange(reviewerPage.Problems);
        }

        // The signatory signs with a fresh code from the authenticator app.
        await using (var signatoryPage = await SignedInPageAsync(signatory))
        {
            var page = signatoryPage.Page;
            await page.GotoAsync($"/instruction/{reference}/signature");
            Assert.Contains("suivi clinique de six mois", await page.Locator(".proposal-summary").InnerTextAsync());
            await page.Locator("#Code").FillAsync(Totp.Code(authenticatorKey));
            await page.GetByRole(AriaRole.Button, new() { Name = "Signer et émettre la lettre" }).ClickAsync();
            await signatoryPage.WaitForPathAsync($"/instruction/{reference}");
            Assert.Equal("Accordée", (await page.Locator("main .fr-badge").First.TextContentAsync())!.Trim());
            var history = await page.Locator("tbody").Last.InnerTextAsync();
            Assert.Contains("Demande d'information : En cours d'instruction → Compléments demandés", history);
            Assert.Contains("Réponse du demandeur : Compléments demandés → En cours d'instruction", history);
            Assert.Contains("Proposition renvoyée par le signataire", history);
            Assert.Contains("Proposition signée", history);
            problems.AddRange(signatoryPage.Problems);
        }

        string verificationAddress;
        byte[] letter;
        await using (var manufacturerPage = await SignedInPageAsync(manufacturer))
        {
            var page = manufacturerPage.Page;
            await page.GotoAsync($"/demandes/{reference}");
            Assert.Equal("Dérogation accordée", await page.Locator("#decision h2").InnerTextAsync());
            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Télécharger la lettre de décision (PDF)" }).ClickAsync());
            Assert.Equal($"decision-{reference}.pdf", download.SuggestedFilename);
            letter = await File.ReadAllBytesAsync((await download.PathAsync())!);
            var text = System.Text.RegularExpressions.Regex.Replace(await PdfText.ReadAsync(letter), @"\s+", " ");
            Assert.Contains("modèle GS-500 révision C", text);
            Assert.Contains("nombre maximal de patients : 1", text);
            Assert.Contains("Copie à : — ", text);
            Assert.Contains("suivi clinique de six mois après l'implantation", text);
            // The letter names the signatory who signed, when they signed, and no one else.
            Assert.Contains("Pour le directeur général et par délégation, Hélène Marchand", text);
            Assert.Matches(@"Signé le \d{1,2} \w+ \d{4} à \d{2}h\d{2} \(heure de Paris\)", text);
            Assert.DoesNotContain("Utilisateur Test", text);
            verificationAddress = System.Text.RegularExpressions.Regex.Match(text, @"https?://\S+/verification/[A-Z0-9-]+").Value;
            problems.AddRange(manufacturerPage.Problems);
        }

        // Those without an account received the letter itself.
        foreach (var recipient in new[] { "c.fontaine@chu.example", "direction@chu.example" })
        {
            var copy = await Portal.WaitForMailAsync(m => m.To.Contains(recipient, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal));
            Assert.Equal(letter, Assert.Single(copy.Attachments).Content);
        }

        await using (var visitor = await NewPageAsync())
        {
            await visitor.Page.GotoAsync(new Uri(verificationAddress).PathAndQuery);
            Assert.Equal("Décision authentique", await visitor.Page.Locator("#verification-confirmee h2").InnerTextAsync());
            Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(letter)), await visitor.Page.Locator("#empreinte").InnerTextAsync());
            problems.AddRange(await visitor.SeriousAccessibilityViolationsAsync());
            problems.AddRange(visitor.Problems);
        }

        Assert.Empty(problems);
    }
}
