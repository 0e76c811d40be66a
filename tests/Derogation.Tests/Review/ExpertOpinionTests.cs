using System.Net;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>A reviewer asks another ANSM user for an opinion; the expert sees that case only, through the question, and answers.</summary>
public sealed class ExpertOpinionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task AnOpinion_GoesToTheExpert_WhoSeesOnlyWhatWasNamed_Answers_AndTheAnswerIsInTheCaseFile()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        var (other, _) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);
        var expertUser = await portal.CreateUserAsync(Roles.Expert, fullName: "Dr Claire Expert");
        var expert = await portal.CreateClientForAsync(expertUser);

        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/avis"));
        var documents = form.QuerySelectorAll("input[name=Documents]").Select(i => i.GetAttribute("value")!).ToList();
        Assert.True(documents.Count >= 2);
        var deadline = DateTime.Today.AddDays(7).ToString("yyyy-MM-dd");

        // Asking oneself, or without a question, is refused beside the field; the rest is kept.
        var self = await Html.ParseAsync(await reviewer.SubmitPairsAsync($"/instruction/{reference}/avis",
            [new("ExpertId", reviewerUser.Id.ToString()), new("Question", "La notice est-elle claire ?"), new("Deadline", deadline)]));
        Assert.Contains("autre que vous", self.Text("#resume-erreurs"), StringComparison.Ordinal);
        Assert.Equal("La notice est-elle claire ?", self.QuerySelector("textarea[name=Question]")!.TextContent.Trim());
        // A reviewer who does not hold the case cannot ask, even by posting.
        var colleague = await portal.CreateClientAsAsync(Roles.Reviewer);
        var forged = await Html.ParseAsync(await colleague.SubmitPairsAsync($"/instruction/{reference}/avis",
            [new("ExpertId", expertUser.Id.ToString()), new("Question", "Forgée"), new("Deadline", deadline)]));
        Assert.Contains("Seul l'instructeur qui détient la demande", forged.Text("#resume-erreurs"), StringComparison.Ordinal);

        var asked = await reviewer.SubmitPairsAsync($"/instruction/{reference}/avis",
        [
            new("ExpertId", expertUser.Id.ToString()), new("Question", "Les données de biocompatibilité suffisent-elles pour un usage de 30 jours ?"),
            new("Documents", documents[0]), new("Deadline", deadline),
        ]);
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(expertUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal));
        var opinionPath = mail.Link("/avis/").AbsolutePath;

        // The expert's list and page: the question, the one document named; nothing else of the case.
        var list = await Html.ParseAsync(await expert.GetAsync("/avis"));
        Assert.Equal([reference], list.QuerySelectorAll("#avis-demandes tbody tr td:first-child a").Select(a => a.TextContent.Trim()));
        var page = await Html.ParseAsync(await expert.GetAsync(opinionPath));
        Assert.Equal("Les données de biocompatibilité suffisent-elles pour un usage de 30 jours ?", page.Text("#question p"));
        Assert.Single(page.QuerySelectorAll("#documents-a-lire li"));
        Assert.Equal(HttpStatusCode.OK, (await expert.GetAsync($"{opinionPath}?handler=Document&document={documents[0]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"{opinionPath}?handler=Document&document={documents[1]}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"/instruction/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync($"/instruction/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await expert.GetAsync("/instruction")).StatusCode);
        // Another expert does not open it.
        var otherExpert = await portal.CreateClientAsAsync(Roles.Expert);
        Assert.Equal(HttpStatusCode.NotFound, (await otherExpert.GetAsync(opinionPath)).StatusCode);
        Assert.Empty((await Html.ParseAsync(await otherExpert.GetAsync("/avis"))).QuerySelectorAll("#avis-demandes tbody tr"));

        // Answered with a text and a file.
        var token = page.QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Oui : les essais ISO 10993 couvrent une exposition prolongée."), "Answer" },
            { new ByteArrayContent(WizardDocuments.Pdf("Analyse de biocompatibilité")), "Attachment", "analyse.pdf" },
        };
        Assert.Equal(HttpStatusCode.Redirect, (await expert.PostAsync(opinionPath, content)).StatusCode);
        await portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject == $"Demande {reference} : l'avis demandé a été rendu");
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Avis de Dr Claire Expert", caseFile.Text("#avis .avis h3"));
        Assert.Equal("Oui : les essais ISO 10993 couvrent une exposition prolongée.", caseFile.Text("#avis .avis-reponse"));
        var file = caseFile.QuerySelector("#avis a.fr-link--download")!;
        Assert.Equal("analyse.pdf", file.TextContent.Trim());
        Assert.Contains("biocompatibilit", await PdfText.ReadAsync(await reviewer.GetByteArrayAsync(file.GetAttribute("href"))), StringComparison.Ordinal);

        // Given once: a second answer is refused.
        var again = await Html.ParseAsync(await expert.PostAsync(opinionPath, new FormUrlEncodedContent(
            [new("__RequestVerificationToken", token), new("Answer", "Finalement non.")])));
        Assert.Contains("déjà été rendu", again.Text("#resume-erreurs"), StringComparison.Ordinal);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var opinion = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().ExpertOpinions.SingleAsync(o => o.ApplicationId == id);
            Assert.Equal("Oui : les essais ISO 10993 couvrent une exposition prolongée.", opinion.Answer);
        }
    }

    [Fact]
    public async Task TheExpert_IsRemindedOnce_TwoDaysBeforeTheDeadline_OfAnOpinionNotGiven()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var expertUser = await portal.CreateUserAsync(Roles.Expert);
        var deadline = DateOnly.FromDateTime(DateTime.Today.AddDays(30));
        await reviewer.SubmitPairsAsync($"/instruction/{reference}/avis",
            [new("ExpertId", expertUser.Id.ToString()), new("Question", "Avis sur l'urgence ?"), new("Deadline", deadline.ToString("yyyy-MM-dd"))]);

        async Task<int> RunOnAsync(DateOnly day)
        {
            await using var scope = portal.Services.CreateAsyncScope();
            var services = scope.ServiceProvider;
            return await new ExpertOpinions(services.GetRequiredService<DerogationDbContext>(), services.GetRequiredService<Derogation.Core.Documents.DocumentStore>(),
                services.GetRequiredService<OutboxSignal>(), new ExpertOpinionOptions(), new FixedClock(new DateTimeOffset(day.ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero)),
                TestLinks.At(services)).RemindAsync();
        }

        Assert.Equal(0, await RunOnAsync(deadline.AddDays(-3)));
        Assert.Equal(1, await RunOnAsync(deadline.AddDays(-2)));
        Assert.Equal(0, await RunOnAsync(deadline.AddDays(-1)));
        await using var check = portal.Services.CreateAsyncScope();
        var reminders = await check.ServiceProvider.GetRequiredService<DerogationDbContext>().OutboxMessages
            .Where(m => m.ApplicationId == id && m.Purpose == "OpinionReminder").ToListAsync();
        Assert.Equal(expertUser.Email, Assert.Single(reminders).Recipient);
        Assert.Equal($"Demande {reference} : avis attendu avant le {deadline:dd/MM/yyyy}", reminders[0].Subject);
    }
}
