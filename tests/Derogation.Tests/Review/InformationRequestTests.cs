using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class InformationRequestTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Applicant, TestUser ApplicantUser, HttpClient Reviewer)> UnderReviewAsync()
    {
        var applicantUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await portal.CreateClientForAsync(applicantUser);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        return (reference, id, applicant, applicantUser, reviewer);
    }

    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    private static Task<HttpResponseMessage> RequestAsync(HttpClient reviewer, string reference, string message, params string[] sections)
    {
        var values = new List<KeyValuePair<string, string>> { new("Message", message), new("AnswerDeadline", DateTime.Today.AddDays(20).ToString("yyyy-MM-dd")) };
        values.AddRange(sections.Select(s => new KeyValuePair<string, string>("Sections", s)));
        return reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information", values);
    }

    [Fact]
    public async Task Request_NamingOneSection_LetsTheApplicantAmendOnlyThatSection_AndTheAnswerCreatesVersion2()
    {
        var (reference, id, applicant, applicantUser, reviewer) = await UnderReviewAsync();
        var requested = await RequestAsync(reviewer, reference, "Précisez le modèle exact du dispositif.", "Device");
        Assert.Equal($"/instruction/{reference}", requested.Headers.Location!.OriginalString);
        Assert.Equal(ApplicationStatus.InformationRequested, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));

        // The applicant is told by e-mail, with a link to the application (never personal data in it).
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains($"{reference} : l'ANSM demande des informations", StringComparison.Ordinal));
        Assert.EndsWith($"/demandes/{reference}", mail.Link($"/demandes/{reference}").AbsoluteUri);

        var applicationPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Equal("Précisez le modèle exact du dispositif.", applicationPage.Text(".information-request .fr-callout__text"));
        Assert.Equal("Compléments demandés", applicationPage.Text("main .fr-badge"));

        // Only the named section (and the documents, to add files) opens; the others are as if they did not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await applicant.GetAsync($"/demandes/{id}/patient")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await applicant.SubmitPairsAsync($"/demandes/{id}/patient", [new("Input.YearOfBirth", "1970")], tokenPage: $"/demandes/{id}/dispositif")).StatusCode);
        var amend = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "dispositif").Fields) { ["Input.Model"] = "GS-500 révision B", ["action"] = "continuer" };
        var saved = await applicant.SubmitAsync($"/demandes/{id}/dispositif", amend);
        Assert.Equal($"/demandes/{reference}/reponse", saved.Headers.Location!.OriginalString);

        // Before the answer, ANSM still sees version 1.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Contains("GS-500", caseFile.Texts("dd"));
        Assert.DoesNotContain("GS-500 révision B", caseFile.Texts("dd"));

        var answered = await applicant.SubmitAsync($"/demandes/{reference}/reponse", new Dictionary<string, string> { ["Answer"] = "Le modèle est la révision B." });
        Assert.Equal($"/demandes/{reference}", answered.Headers.Location!.OriginalString);
        var versions = await InDatabaseAsync(db => db.ApplicationVersions.Where(v => v.ApplicationId == id).OrderBy(v => v.Version).ToListAsync());
        Assert.Equal([1, 2], versions.Select(v => v.Version));
        Assert.Equal("GS-500", versions[0].Answers.Device.Model);
        Assert.Equal("GS-500 révision B", versions[1].Answers.Device.Model);
        Assert.Equal(ApplicationStatus.UnderReview, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));

        // The reviewer sees exactly what changed, field by field.
        var comparison = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/versions"));
        Assert.Equal(["Dispositif"], comparison.Texts(".version-changes caption"));
        Assert.Equal(["Modèle", "GS-500", "GS-500 révision B"], comparison.Texts(".version-changes tbody tr > *"));
        var answeredCase = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Le modèle est la révision B.", answeredCase.Text(".information-request p.portal-pre-line:last-child"));
        Assert.Contains("Réponse du demandeur : Compléments demandés → En cours d'instruction", answeredCase.Texts("tbody td"));
    }

    [Fact]
    public async Task TheClockStops_WhileInformationIsRequested_TheTargetMovesOnByTheDaysWaited()
    {
        var (reference, id, applicant, _, reviewer) = await UnderReviewAsync();
        var before = await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.TargetDate).SingleAsync());
        await RequestAsync(reviewer, reference, "Joignez la notice en français.");
        // The request was sent six days ago.
        await InDatabaseAsync(db => db.InformationRequests.Where(r => r.ApplicationId == id)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.RequestedAt, x => x.RequestedAt.AddDays(-6))));
        await applicant.SubmitAsync($"/demandes/{reference}/reponse", new Dictionary<string, string> { ["Answer"] = "Notice jointe." });

        var after = await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.TargetDate).SingleAsync());
        Assert.Equal(before!.Value.AddDays(6), after);
    }

    [Fact]
    public async Task WhileTheClockIsStopped_TheTargetShownMovesOnDayByDay_AndTheCaseIsNeverShownLate()
    {
        var (reference, id, _, _, reviewer) = await UnderReviewAsync();
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris")).DateTime);
        await RequestAsync(reviewer, reference, "Joignez la notice en français.");
        // The target was three days ago; the request was sent six days ago: the target shown is three days ahead.
        await InDatabaseAsync(async db =>
        {
            await db.Applications.Where(a => a.Id == id).ExecuteUpdateAsync(a => a.SetProperty(x => x.TargetDate, today.AddDays(-3)));
            return await db.InformationRequests.Where(r => r.ApplicationId == id).ExecuteUpdateAsync(r => r.SetProperty(x => x.RequestedAt, x => x.RequestedAt.AddDays(-6)));
        });

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.StartsWith($"{today.AddDays(3):dd/MM/yyyy} — délai suspendu depuis le", caseFile.Text("#date-cible"), StringComparison.Ordinal);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        var row = queue.QuerySelector("tbody tr")!;
        Assert.StartsWith(today.AddDays(3).ToString("dd/MM/yyyy"), row.QuerySelector("td")!.TextContent.Trim(), StringComparison.Ordinal);
        Assert.NotNull(row.QuerySelector(".delai-suspendu"));
        Assert.DoesNotContain("En retard", row.TextContent);
    }

    [Fact]
    public async Task BadInput_IsNamed_AndKeepsWhatWasTyped()
    {
        var (reference, id, applicant, _, reviewer) = await UnderReviewAsync();
        var page = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information",
            [new("Message", ""), new("Sections", "Patient"), new("AnswerDeadline", DateTime.Today.ToString("yyyy-MM-dd"))]));
        Assert.Equal(["Message : il est obligatoire. Écrivez la question ou la correction attendue."], page.Texts("#resume-erreurs li"));
        Assert.NotNull(page.QuerySelector("#section-Patient[checked]"));

        page = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information",
            [new("Message", "Précisez."), new("AnswerDeadline", DateTime.Today.ToString("yyyy-MM-dd"))]));
        Assert.Equal(["Date limite de réponse : choisissez une date postérieure à aujourd'hui."], page.Texts("#resume-erreurs li"));
        Assert.Equal("Précisez.", page.Text("#Message"));
        Assert.Equal(ApplicationStatus.UnderReview, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));

        await RequestAsync(reviewer, reference, "Précisez.");
        var empty = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{reference}/reponse", new Dictionary<string, string> { ["Answer"] = " " }));
        Assert.Equal(["Votre réponse : elle est obligatoire. Écrivez votre réponse à l'ANSM."], empty.Texts("#resume-erreurs li"));

        // "Save without sending" keeps the text; the application stays with the applicant.
        var draft = await applicant.SubmitPairsAsync($"/demandes/{reference}/reponse?handler=Draft", [new("Answer", "Brouillon de réponse")], tokenPage: $"/demandes/{reference}/reponse");
        Assert.Equal($"/demandes/{reference}/reponse", draft.Headers.Location!.OriginalString);
        Assert.Equal("Brouillon de réponse", (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/reponse"))).Text("#Answer"));
        Assert.Equal(ApplicationStatus.InformationRequested, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
    }

    [Fact]
    public async Task TwoReviewersAtOnce_OneDecides_TheOtherIsToldAndKeepsTheirText()
    {
        var (reference, _, _, _, reviewer) = await UnderReviewAsync();
        var second = await portal.CreateClientAsAsync(Roles.Reviewer);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        // Both open their forms on the same version of the application.
        var requestForm = await Html.ParseAsync(await second.GetAsync($"/instruction/{reference}/demande-information"));
        await reviewer.CompleteGridAsync(reference);
        var decided = await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de données cliniques.", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);

        var refused = await Html.ParseAsync(await second.SubmitAsync(requestForm, $"/instruction/{reference}/demande-information",
            new Dictionary<string, string> { ["Message"] = "Une question longue et réfléchie." }));
        Assert.StartsWith("Cette demande n'est plus en cours d'instruction", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Une question longue et réfléchie.", refused.Text("#Message"));
        Assert.Equal(0, await InDatabaseAsync(db => db.InformationRequests.CountAsync(r => db.Applications.Any(a => a.Id == r.ApplicationId && a.Reference == reference))));
    }

    [Fact]
    public async Task OnlyTheFilingOrganisation_Answers_TheManufacturerReads_OthersSeeNothing()
    {
        var consultantUser = await portal.CreateUserAsync(Roles.Consultant);
        var manufacturerUser = await portal.CreateUserAsync(Roles.Manufacturer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<Derogation.Core.Mandates.MandateService>();
            await mandates.GrantAsync(manufacturerUser.OrganisationId, consultantUser.OrganisationId, mandates.Today, null, null, manufacturerUser.Id);
        }

        var consultant = await portal.CreateClientForAsync(consultantUser);
        var (reference, _) = await Filing.SubmitIndividualAsync(consultant, manufacturerId: manufacturerUser.OrganisationId);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        await RequestAsync(reviewer, reference, "Précisez la posologie.");

        var manufacturer = await portal.CreateClientForAsync(manufacturerUser);
        var manufacturerView = await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{reference}"));
        Assert.Equal("Précisez la posologie.", manufacturerView.Text(".information-request .fr-callout__text"));
        Assert.Null(manufacturerView.QuerySelector($"a[href='/demandes/{reference}/reponse']"));
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturer.GetAsync($"/demandes/{reference}/reponse")).StatusCode);

        var consultantView = await Html.ParseAsync(await consultant.GetAsync($"/demandes/{reference}"));
        Assert.NotNull(consultantView.QuerySelector($"a[href='/demandes/{reference}/reponse']"));
        Assert.Equal(HttpStatusCode.OK, (await consultant.GetAsync($"/demandes/{reference}/reponse")).StatusCode);

        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}/reponse")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}")).StatusCode);
        // Filers never reach the reviewers' pages, whatever they hold.
        foreach (var path in new[] { "demande-information", "versions", "attribution" })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await consultant.GetAsync($"/instruction/{reference}/{path}")).StatusCode);
        }
    }
}
