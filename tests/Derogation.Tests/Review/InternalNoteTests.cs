using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Review;

public sealed class InternalNoteTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task InternalNotes_AreSharedWithinAnsm_AndNeverShownToTheApplicant()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(applicant);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);

        var empty = await Html.ParseAsync(await reviewer.SubmitAsync($"/instruction/{reference}", new Dictionary<string, string> { ["Note"] = "" }, "form[action*='handler=Note']"));
        Assert.Equal("Nouvelle note : écrivez le texte de la note.", empty.Text("#Note-messages"));

        const string text = "Demander l'avis de l'expert en neurologie avant décision.";
        var added = await reviewer.SubmitAsync($"/instruction/{reference}", new Dictionary<string, string> { ["Note"] = text }, "form[action*='handler=Note']");
        Assert.Equal($"/instruction/{reference}#notes", added.Headers.Location!.OriginalString);

        var signatoryView = await Html.ParseAsync(await (await portal.CreateClientAsAsync(Roles.Signatory)).GetAsync($"/instruction/{reference}"));
        Assert.Contains(text, signatoryView.Texts("#notes p"));

        var applicantView = await applicant.GetAsync($"/demandes/{reference}");
        Assert.DoesNotContain(text, await applicantView.Content.ReadAsStringAsync());
    }
}
