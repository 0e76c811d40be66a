using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class InternalNoteTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task InternalNotes_AreSharedWithinAnsm_AndNeverShownToTheApplicant()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
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

        // Written with its audit event, which says a note was added and never what it says; the case's history shows it.
        await using var scope = portal.Services.CreateAsyncScope();
        var recorded = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().AuditEvents.AsNoTracking()
            .SingleAsync(e => e.Action == AuditActions.NoteAdded && e.SubjectId == id.ToString());
        Assert.DoesNotContain("neurologie", recorded.Details ?? "", StringComparison.Ordinal);
        Assert.Contains(signatoryView.Texts("table tbody td"), cell => cell.Contains("Note interne ajoutée", StringComparison.Ordinal));
    }
}
