using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Letters;

/// <summary>
/// ANSM adjusts the letters' standard paragraphs without a release (/admin/modeles): each save is a new version, a
/// letter records the versions it was drawn with, and an issued letter never changes.
/// </summary>
public sealed class LetterWordingTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>Posts the wording's form with its button's handler (Save or Preview), as the browser does.</summary>
    private static async Task<HttpResponseMessage> PostAsync(HttpClient admin, string key, string text, string handler = "Save")
    {
        var page = await Html.ParseAsync(await admin.GetAsync("/admin/modeles"));
        var form = page.QuerySelector($"#modele-{key} form")!;
        var action = form.QuerySelector($"button[formaction*='handler={handler}']")!.GetAttribute("formaction")!;
        var token = form.QuerySelector("input[name=__RequestVerificationToken]")!.GetAttribute("value")!;
        return await admin.PostAsync(action, new FormUrlEncodedContent(new Dictionary<string, string>
            { ["__RequestVerificationToken"] = token, ["key"] = form.QuerySelector("input[name=key]")!.GetAttribute("value")!, ["text"] = text }));
    }

    private static Task<HttpResponseMessage> SaveAsync(HttpClient admin, string key, string text) => PostAsync(admin, key, text);

    private async Task<(string Text, string Sha256, string? Wording, byte[] Content)> LetterOfAsync(string reference)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var document = await db.Applications.AsNoTracking().Where(a => a.Reference == reference)
            .Join(db.Decisions, a => a.Id, d => d.ApplicationId, (a, d) => d)
            .Join(db.IssuedDocuments, d => d.LetterDocumentId, i => (Guid?)i.Id, (d, i) => i).SingleAsync();
        return (System.Text.RegularExpressions.Regex.Replace(await PdfText.ReadAsync(document.Content), @"\s+", " "), document.Sha256, document.Wording, document.Content);
    }

    private async Task<string> GrantedRefusalAsync()
    {
        var (reference, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de données.", ["SignatoryId"] = signatory.Id.ToString() })).StatusCode);
        await portal.SignAsync(reference, signatory);
        return reference;
    }

    [Fact]
    public async Task AnEditedParagraph_GoesIntoTheNextLetters_WhileAnIssuedLetterKeepsItsBytesAndItsVersion()
    {
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var saved = await SaveAsync(admin, "Refusal", "Le fabricant ne met pas le dispositif à disposition ; il en informe les établissements qui l'ont demandé.");
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var first = await GrantedRefusalAsync();
        var issued = await LetterOfAsync(first);
        Assert.Contains("Le fabricant ne met pas le dispositif à disposition ; il en informe les établissements qui l'ont demandé.", issued.Text);
        Assert.Contains("Refusal v1", issued.Wording);
        Assert.Contains("GrantGlobal v0", issued.Wording);

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(admin, "Refusal", "Texte révisé : le dispositif ne peut pas être fourni au titre d'une dérogation.")).StatusCode);
        var page = await Html.ParseAsync(await admin.GetAsync("/admin/modeles"));
        Assert.StartsWith("Version 2, enregistrée le", page.Text("#modele-Refusal p.fr-text--sm"), StringComparison.Ordinal);

        // The first letter, as issued: same bytes, same recorded version; the next letter says the new text.
        var again = await LetterOfAsync(first);
        Assert.Equal(issued.Sha256, again.Sha256);
        Assert.Equal(issued.Content, again.Content);
        Assert.Equal(issued.Wording, again.Wording);
        var second = await LetterOfAsync(await GrantedRefusalAsync());
        Assert.Contains("Texte révisé : le dispositif ne peut pas être fourni au titre d'une dérogation.", second.Text);
        Assert.DoesNotContain("il en informe les établissements", second.Text);
        Assert.Contains("Refusal v2", second.Wording);
    }

    [Fact]
    public async Task AnUnknownPlaceholder_IsRefusedNamingIt_TheTextTypedIsKept_AndNothingIsSaved()
    {
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        const string typed = "Déclarer au titre de la {vigilence} sans délai.";
        var refused = await SaveAsync(admin, "GrantGlobal", typed);

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Equal("Dérogation globale accordée : le champ {vigilence} n'existe pas. Champs possibles : {vigilance}.", page.Text("#texte-GrantGlobal-messages"));
        Assert.Equal(typed, page.QuerySelector("#texte-GrantGlobal")!.TextContent);
        Assert.Contains("#texte-GrantGlobal", page.QuerySelector("#resume-erreurs a")!.GetAttribute("href"));
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().LetterWordings.AnyAsync(w => w.Key == "GrantGlobal"));
    }

    [Fact]
    public async Task ThePreview_DrawsAFictitiousDraftLetter_WithTheTextAsTyped_AndSavesNothing()
    {
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var pdf = await PostAsync(admin, "GrantGlobal", "Paragraphe d'aperçu au titre de la {vigilance}.", "Preview");
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType?.MediaType);
        var text = System.Text.RegularExpressions.Regex.Replace(await PdfText.ReadAsync(await pdf.Content.ReadAsByteArrayAsync()), @"\s+", " ");
        Assert.StartsWith("PROJET", text.Trim(), StringComparison.Ordinal);
        Assert.Contains("Paragraphe d'aperçu au titre de la matériovigilance.", text);
        Assert.Contains("Fabricant d'exemple", text);
    }

    [Fact]
    public async Task TheEmailThatGoesWithALetter_IsEditedLikeAParagraph_KeepsItsLink_AndTheLetterRecordsItsVersion()
    {
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);

        // Without its link the notice leads nowhere: refused, naming the field, nothing saved, the text kept.
        const string withoutLink = "Bonjour,\n\nUne lettre de l'ANSM sur la demande {reference} est disponible.";
        var refused = await Html.ParseAsync(await SaveAsync(admin, "EmailLetterNotice", withoutLink));
        Assert.Equal("Avis d'émission d'une lettre (utilisateurs du fabricant et du demandeur) : le champ {lien} est indispensable à ce courriel. Ajoutez-le au texte.",
            refused.Text("#texte-EmailLetterNotice-messages"));
        Assert.Equal(withoutLink, refused.QuerySelector("#texte-EmailLetterNotice")!.TextContent.ReplaceLineEndings("\n"));
        // A letter's placeholder is not an e-mail's.
        var unknown = await Html.ParseAsync(await SaveAsync(admin, "EmailLetterNotice", "Au titre de la {vigilance} : {lien}"));
        Assert.Equal("Avis d'émission d'une lettre (utilisateurs du fabricant et du demandeur) : le champ {vigilance} n'existe pas. Champs possibles : {reference}, {objet}, {object}, {lien}.",
            unknown.Text("#texte-EmailLetterNotice-messages"));

        // The preview is the e-mail as it would be sent, on a fictitious case.
        var preview = await PostAsync(admin, "EmailLetterNotice", "Madame, Monsieur,\n\nDemande {reference} ({objet}) : {lien}", "Preview");
        Assert.Equal("text/plain", preview.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Madame, Monsieur,\n\nDemande DGL-0000-00000 (décision de l'ANSM : demande accordée) : https://portail.example/demandes/DGL-0000-00000",
            await preview.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.Redirect, (await SaveAsync(admin, "EmailLetterNotice",
            "Madame, Monsieur,\n\nL'ANSM a émis une lettre sur la demande {reference} ({objet}). Elle vous attend sur le portail :\n\n{lien}\n\nANSM")).StatusCode);
        var applicant = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientForAsync(applicant));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de données.", ["SignatoryId"] = signatory.Id.ToString() });
        await portal.SignAsync(reference, signatory);

        var mail = await portal.WaitForMailAsync(m => m.To.Contains(applicant.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains($"{reference} : décision de l'ANSM", StringComparison.Ordinal));
        Assert.StartsWith($"Madame, Monsieur,\n\nL'ANSM a émis une lettre sur la demande {reference} (décision de l'ANSM : demande refusée). Elle vous attend sur le portail :",
            mail.Body.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.EndsWith($"/demandes/{reference}", mail.Link($"/demandes/{reference}").AbsoluteUri);
        var issued = await LetterOfAsync(reference);
        Assert.Contains("EmailLetterNotice v1", issued.Wording);
        Assert.Contains("EmailLetterCopy v0", issued.Wording);
        Assert.Contains("Refusal v0", issued.Wording);
    }
}
