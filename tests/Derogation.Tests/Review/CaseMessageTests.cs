using System.Net;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>The thread between the applicant's side and ANSM: patient rules, files, e-mails without the text, read marks, who may see and write.</summary>
public sealed class CaseMessageTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Messages_GoBothWays_RefuseWhatIdentifiesThePatient_AndAreMarkedRead()
    {
        var applicantUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await portal.CreateClientForAsync(applicantUser);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);

        // What identifies the patient is refused, named, and the text is kept.
        var refused = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{reference}/messages", new Dictionary<string, string>
        {
            ["Text"] = "Mme Dupont a bien reçu le dispositif.",
        }));
        Assert.Contains("Mme Dupont", refused.Text("#resume-erreurs"), StringComparison.Ordinal);
        Assert.Equal("Mme Dupont a bien reçu le dispositif.", refused.QuerySelector("textarea[name=Text]")!.TextContent.Trim());
        Assert.Equal(0, await CountAsync(id));

        var token = (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/messages"))).QuerySelector("main form input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("Le rapport d'essai complémentaire est joint. Pouvez-vous confirmer sa réception ?"), "Text" },
            { new ByteArrayContent(WizardDocuments.Pdf("Rapport d'essai complémentaire")), "Attachment", "rapport-essai.pdf" },
        };
        Assert.Equal(HttpStatusCode.Redirect, (await applicant.PostAsync($"/demandes/{reference}/messages", content)).StatusCode);

        // The holder is told, without the text.
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(reviewerUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject == $"Demande {reference} : nouveau message / new message");
        Assert.DoesNotContain("rapport d'essai", mail.Body, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith($"/instruction/{reference}/messages", mail.Link($"/instruction/{reference}/messages").AbsoluteUri);
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Messages — 1 non lu(s)", caseFile.Text("#lien-messages"));

        var thread = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/messages"));
        Assert.Equal("Le rapport d'essai complémentaire est joint. Pouvez-vous confirmer sa réception ?", thread.Text("#fil .message-texte"));
        var file = thread.QuerySelector("#fil a.fr-link--download")!;
        Assert.StartsWith("rapport-essai.pdf", file.TextContent.Trim(), StringComparison.Ordinal);
        Assert.Contains("Rapport d'essai", await PdfText.ReadAsync(await reviewer.GetByteArrayAsync(file.GetAttribute("href"))), StringComparison.Ordinal);
        Assert.Equal("Messages", (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).Text("#lien-messages"));
        // The applicant sees that it was read.
        Assert.StartsWith("lu le ", (await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/messages"))).Text("#fil .message-lu"), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/messages", new Dictionary<string, string>
        {
            ["Text"] = "Bien reçu, merci. Il sera examiné avec le dossier.",
        })).StatusCode);
        await portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject == $"Demande {reference} : nouveau message / new message");
        var application = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Equal("Messages — 1 non lu(s)", application.Text("#lien-messages"));
        var applicantThread = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}/messages"));
        Assert.Equal(["Le rapport d'essai complémentaire est joint. Pouvez-vous confirmer sa réception ?", "Bien reçu, merci. Il sera examiné avec le dossier."],
            applicantThread.QuerySelectorAll("#fil .message-texte").Select(p => p.TextContent.Trim()));
        Assert.EndsWith("(ANSM)", applicantThread.QuerySelectorAll("#fil .message h2")[1].TextContent.Trim(), StringComparison.Ordinal);

        // Nobody else reads or writes: another organisation, a forged post; a signatory reads but does not write.
        var stranger = await portal.CreateClientAsAsync(Roles.Manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"/demandes/{reference}/messages")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.SubmitPairsAsync($"/demandes/{reference}/messages", [new("Text", "Forgé")], tokenPage: "/demandes/individuelle/nouvelle")).StatusCode);
        var signatory = await portal.CreateClientAsAsync(Roles.Signatory);
        var signatoryThread = await Html.ParseAsync(await signatory.GetAsync($"/instruction/{reference}/messages"));
        Assert.Equal(2, signatoryThread.QuerySelectorAll("#fil .message").Length);
        Assert.Null(signatoryThread.QuerySelector("main form"));
        Assert.Equal(HttpStatusCode.NotFound, (await signatory.SubmitPairsAsync($"/instruction/{reference}/messages", [new("Text", "Forgé")], tokenPage: $"/instruction/{reference}")).StatusCode);
        Assert.Equal(2, await CountAsync(id));

        // Part of the case's history.
        Assert.Equal(2, (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).QuerySelectorAll("main li, main td").Count(e => e.TextContent.Trim() == "Message envoyé"));
    }

    private async Task<int> CountAsync(Guid applicationId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().CaseMessages.CountAsync(m => m.ApplicationId == applicationId);
    }
}
