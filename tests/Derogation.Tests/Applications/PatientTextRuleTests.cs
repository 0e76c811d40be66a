using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Applications;

/// <summary>
/// The anonymisation rules added for patient text (a day and month, a phone number, a postal address, the patient's
/// name from their initials, a social-security-shaped number whatever its key), through the wizard's form in French
/// and in English, and in the texts written after filing: an answer to ANSM, a withdrawal reason.
/// </summary>
public sealed class PatientTextRuleTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    // The patient of WizardFill is d. É. (born 1962): "Émilie Dubois" has their initials.
    private const string Identifying = "Suivie par sa sœur Émilie Dubois ; joignable au 06 12 34 56 78, 12 rue de la Paix ; hospitalisée le 15/01 ; n° 184127512345600.";

    private async Task<(HttpClient Client, Guid Id)> AtPatientStepAsync(string language)
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        await client.GetAsync($"/langue/{language}?retour=/");
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "patient"))
        {
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        return (client, id);
    }

    private static Dictionary<string, string> PatientStepWith(string medicalContext) =>
        new(WizardFill.Individual.Single(s => s.Slug == "patient").Fields) { ["Input.MedicalContext"] = medicalContext, ["action"] = "continuer" };

    [Fact]
    public async Task PatientText_NamesEachNewFinding_InFrench_AndKeepsWhatWasTyped()
    {
        var (client, id) = await AtPatientStepAsync("fr");
        var page = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/patient", PatientStepWith(Identifying)));
        var errors = page.Texts("#resume-erreurs li");
        Assert.Contains("Contexte médical : « 15/01 » est une date trop précise. Toute date concernant le patient doit se limiter à l'année : écrivez par exemple « en 2024 ».", errors);
        Assert.Contains("Contexte médical : « 06 12 34 56 78 » est un numéro de téléphone. Retirez-le : aucune coordonnée du patient ne doit figurer dans la demande.", errors);
        Assert.Contains("Contexte médical : « 12 rue de la Paix » est une adresse postale. Retirez-la : le patient n'est identifié que par ses initiales et son année de naissance.", errors);
        Assert.Contains("Contexte médical : « Émilie Dubois » semble être le nom du patient (mêmes initiales). Écrivez seulement ses initiales, par exemple « le patient L. M. ».", errors);
        Assert.Contains(errors, e => e.StartsWith("Contexte médical : « 184127512345600 » ressemble à un numéro de sécurité sociale.", StringComparison.Ordinal));
        Assert.Equal(Identifying, page.Text("#Input_MedicalContext"));

        // Initials or years alone are fine, and so is a fraction.
        var fine = await client.SubmitAsync($"/demandes/{id}/patient", PatientStepWith("Patiente É. D., 3/4 des symptômes depuis 2024 ; suivie au CHU."));
        Assert.Equal(HttpStatusCode.Redirect, fine.StatusCode);
    }

    [Fact]
    public async Task PatientText_NamesEachNewFinding_InEnglish()
    {
        var (client, id) = await AtPatientStepAsync("en");
        var errors = (await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/patient", PatientStepWith(Identifying)))).Texts("#resume-erreurs li");
        Assert.Contains("Medical context: \"15/01\" is too precise a date. Any date concerning the patient must be limited to the year: write, for example, \"in 2024\".", errors);
        Assert.Contains("Medical context: \"06 12 34 56 78\" is a telephone number. Remove it: no contact details of the patient may appear in the application.", errors);
        Assert.Contains("Medical context: \"12 rue de la Paix\" is a postal address. Remove it: the patient is identified only by initials and year of birth.", errors);
        Assert.Contains("Medical context: \"Émilie Dubois\" looks like the patient's name (same initials). Write the initials only, for example \"the patient L. M.\".", errors);
        Assert.Contains("Medical context: \"184127512345600\" looks like a social-security number. Remove it: the patient is identified only by initials and year of birth.", errors);
    }

    [Fact]
    public async Task AnAnswerToAnsm_AndAWithdrawalReason_FollowThePatientRules()
    {
        var applicant = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(applicant);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information", [new("Message", "Précisez le contexte.")]);

        var answer = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{reference}/reponse",
            new Dictionary<string, string> { ["Answer"] = "La patiente est joignable au 06 12 34 56 78." }));
        Assert.Equal(["Réponse à la demande d'information : « 06 12 34 56 78 » est un numéro de téléphone. Retirez-le : aucune coordonnée du patient ne doit figurer dans la demande."],
            answer.Texts("#resume-erreurs li"));
        Assert.Equal("La patiente est joignable au 06 12 34 56 78.", answer.Text("#Answer"));
        // Not even kept as a draft.
        var draft = await Html.ParseAsync(await applicant.SubmitPairsAsync($"/demandes/{reference}/reponse?handler=Draft",
            [new("Answer", "Vue par Mme Durand.")], tokenPage: $"/demandes/{reference}/reponse"));
        Assert.Contains("« Mme Durand » désigne une personne par son nom", draft.Text("#resume-erreurs li"), StringComparison.Ordinal);

        var withdrawal = await Html.ParseAsync(await applicant.SubmitAsync($"/demandes/{reference}/retrait",
            new Dictionary<string, string> { ["Reason"] = "M. Dupont est décédé." }));
        Assert.Equal(["Motif du retrait : « M. Dupont » désigne une personne par son nom. Identifiez le patient par ses initiales uniquement (par exemple « le patient D. M. »)."],
            withdrawal.Texts("#resume-erreurs li"));
    }
}
