using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Applications;

public sealed class IndividualWizardTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static Dictionary<string, string> Continue(Dictionary<string, string> fields) => new(fields) { ["action"] = "continuer" };

    private async Task<(HttpClient Client, Guid DraftId)> StartAsync(string role = Roles.Manufacturer)
    {
        var client = await portal.CreateClientAsAsync(role);
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        Assert.Equal(HttpStatusCode.Redirect, started.StatusCode);
        var location = started.Headers.Location!.OriginalString;
        Assert.EndsWith("/parties", location);
        return (client, Guid.Parse(location.Split('/')[2]));
    }

    private async Task<Application> DraftAsync(Guid id)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id);
    }

    private static async Task FillUpToAsync(HttpClient client, Guid id, string stopBefore)
    {
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != stopBefore))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            var response = await client.SubmitAsync($"/demandes/{id}/{slug}", Continue(fields));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{slug}: {(await Html.ParseAsync(response)).QuerySelector("#resume-erreurs")?.TextContent}");
        }
    }

    [Fact]
    public async Task Wizard_StepByStep_SavesEachStep_ThenTheSummaryIsComplete()
    {
        var (client, id) = await StartAsync();
        foreach (var (slug, fields) in WizardFill.Individual)
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            var response = await client.SubmitAsync($"/demandes/{id}/{slug}", Continue(fields));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var draft = await DraftAsync(id);
        Assert.Equal("GenoScreen NGS Panel", draft.DeviceName);
        Assert.Equal(LegalBasis.InVitroDiagnostic, draft.Answers.Parties.LegalBasis);
        Assert.Equal("d", draft.Answers.Patient.LastNameInitial);
        Assert.Equal(new DateOnly(2027, 3, 31), draft.Answers.NonCompliance.ExpectedCertificationDate);

        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));
        Assert.Equal("Toutes les rubriques sont complètes.", summary.Text("#complete"));
        Assert.Contains("GenoScreen NGS Panel", summary.Texts("dd"));
        Assert.Contains("Dispositif de diagnostic in vitro — article 54 du règlement (UE) 2017/746", summary.Texts("dd"));
        Assert.Contains("Urgent", summary.Texts("dd"));
        // One change link per section, each to its step.
        Assert.Equal(WizardFill.Individual.Select(s => s.Slug).Where(s => s != "declarations").Append("documents").Append("declarations").Select(s => $"/demandes/{id}/{s}"),
            summary.QuerySelectorAll("section a.fr-icon-edit-line").Select(a => a.GetAttribute("href")));
    }

    [Fact]
    public async Task Step_CannotBeOpenedBeforeTheOnesBeforeIt()
    {
        var (client, id) = await StartAsync();
        var jump = await client.GetAsync($"/demandes/{id}/patient");
        Assert.Equal(HttpStatusCode.Redirect, jump.StatusCode);
        Assert.Equal($"/demandes/{id}/parties", jump.Headers.Location!.OriginalString);

        await FillUpToAsync(client, id, "marquage-ce");
        Assert.Equal($"/demandes/{id}/marquage-ce", (await client.GetAsync($"/demandes/{id}/declarations")).Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/demandes/{id}/marquage-ce")).StatusCode);
    }

    [Fact]
    public async Task PatientStep_RefusesIdentifyingData_NamingEachFieldAndTheFix_KeepingEverythingTyped_AndSavingNothing()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "patient");
        var typed = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "patient").Fields)
        {
            ["Input.LastNameInitial"] = "Dupont",
            ["Input.YearOfBirth"] = "2031",
            ["Input.MedicalContext"] = "Mme Martin, hospitalisée le 12/03/2024, NIR 1 84 12 75 123 456 40.",
        };
        var response = await client.SubmitAsync($"/demandes/{id}/patient", Continue(typed));
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = page.Texts("#resume-erreurs li");
        Assert.Contains("Initiale du nom du patient : « Dupont » n'est pas une initiale. Identifiez le patient par ses initiales uniquement : une seule lettre, par exemple D.", summary);
        Assert.Contains(summary, s => s.StartsWith($"Année de naissance : 2031 n'est pas possible. Saisissez une année entre 1900 et {DateTime.UtcNow.Year}", StringComparison.Ordinal));
        Assert.Contains("Contexte médical : « 12/03/2024 » est une date trop précise. Toute date concernant le patient doit se limiter à l'année : écrivez par exemple « en 2024 ».", summary);
        Assert.Contains(summary, s => s.StartsWith("Contexte médical : « Mme Martin » désigne une personne par son nom.", StringComparison.Ordinal));
        Assert.Contains(summary, s => s.StartsWith("Contexte médical : « 1 84 12 75 123 456 40 » ressemble à un numéro de sécurité sociale.", StringComparison.Ordinal));
        Assert.NotNull(page.QuerySelector("#resume-erreurs a[href='#Input_LastNameInitial']"));
        // Everything typed is still there…
        Assert.Equal("Dupont", page.QuerySelector("#Input_LastNameInitial")!.GetAttribute("value"));
        Assert.Equal("É", page.QuerySelector("#Input_FirstNameInitial")!.GetAttribute("value"));
        Assert.Equal(typed["Input.MedicalContext"], page.Text("#Input_MedicalContext"));
        Assert.Equal(typed["Input.NeedJustification"], page.Text("#Input_NeedJustification"));
        Assert.NotNull(page.QuerySelector("#Input_Urgency-1[checked]"));
        // …and none of it was saved.
        Assert.Null((await DraftAsync(id)).Answers.Patient.MedicalContext);
    }

    [Fact]
    public async Task EveryStep_SaysWhereTheApplicantIs_OutOfNine_WithTheStepsByTitle_AndOnlyTheReachableOnesAsLinks()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "patient");
        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/patient"));
        Assert.Equal("Étape 4 sur 9 — Patient et besoin médical", page.Text("#etape-courante"));
        Assert.Equal(9, page.QuerySelectorAll("#progression .portal-stepper__bar span").Length);
        Assert.Equal(3, page.QuerySelectorAll("#progression .portal-stepper__done").Length);
        var steps = page.QuerySelectorAll("#liste-etapes li").ToList();
        Assert.Equal(9, steps.Count);
        Assert.Equal([$"/demandes/{id}/parties", $"/demandes/{id}/dispositif", $"/demandes/{id}/marquage-ce"],
            page.QuerySelectorAll("#liste-etapes a").Select(a => a.GetAttribute("href")));
        Assert.Equal("Patient et besoin médical", steps[3].QuerySelector("[aria-current=step]")!.TextContent);
        Assert.Equal("Récapitulatif (à venir)", steps[8].TextContent.Trim());
    }

    [Fact]
    public async Task WhatPeopleTypeInsteadOfAnInitialOrAYear_GetsItsOwnFix_NamingTheField_AndOneMessageOnly()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "patient");
        var typed = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "patient").Fields)
        {
            ["Input.LastNameInitial"] = "Du", ["Input.FirstNameInitial"] = "M.", ["Input.YearOfBirth"] = "12/03/2019",
        };
        var summary = (await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/patient", Continue(typed)))).Texts("#resume-erreurs li");
        Assert.Equal(
        [
            "Initiale du nom du patient : « Du » est une particule. Pour un nom comme « Du Pont » ou « Van Dam », indiquez une seule lettre, la première du nom : D.",
            "Initiale du prénom du patient : écrivez seulement la lettre, sans point : M.",
            "Année de naissance du patient : « 12/03/2019 » n'est pas une année. Indiquez seulement l'année, sur 4 chiffres (par exemple 1970), jamais une date complète.",
        ], summary);

        typed["Input.LastNameInitial"] = "Mme";
        typed["Input.FirstNameInitial"] = "M";
        typed["Input.YearOfBirth"] = "1970";
        Assert.Equal(["Initiale du nom du patient : « Mme » est une civilité, pas une initiale. Indiquez la première lettre du nom (ou du prénom) du patient, une seule lettre, par exemple D."],
            (await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/patient", Continue(typed)))).Texts("#resume-erreurs li"));
        Assert.Null((await DraftAsync(id)).Answers.Patient.YearOfBirth);
    }

    [Theory]
    [InlineData("abc", null, "Téléphone du contact : « abc » n'est pas un numéro de téléphone. Écrivez-le par exemple 01 23 45 67 89, ou +33 1 23 45 67 89 depuis l'étranger.")]
    [InlineData("01 23 45 67", null, "Téléphone du contact : « 01 23 45 67 » n'est pas un numéro de téléphone. Écrivez-le par exemple 01 23 45 67 89, ou +33 1 23 45 67 89 depuis l'étranger.")]
    [InlineData("01 23 45 67 89", "jean@example", "E-mail du contact : l'adresse n'est pas valide, saisissez-la au format nom@domaine.fr.")]
    [InlineData("+33 (0)1 23 45 67 89", "jean@labo", "E-mail du contact : l'adresse n'est pas valide, saisissez-la au format nom@domaine.fr.")]
    public async Task APhoneNumberAndAnEmail_MustBeOnesThatWork(string phone, string? email, string expected)
    {
        var (client, id) = await StartAsync();
        var typed = new Dictionary<string, string>(WizardFill.Individual.Single(s => s.Slug == "parties").Fields) { ["Input.ContactPhone"] = phone };
        if (email is not null)
        {
            typed["Input.ContactEmail"] = email;
        }

        var page = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/parties", Continue(typed)));
        Assert.Equal([expected], page.Texts("#resume-erreurs li"));
        Assert.Equal(phone, page.QuerySelector("#Input_ContactPhone")!.GetAttribute("value"));
    }

    [Fact]
    public async Task SaveForLater_KeepsAnIncompleteStep_ButNeverIdentifyingData()
    {
        var (client, id) = await StartAsync();
        await FillUpToAsync(client, id, "patient");

        var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/patient",
            new Dictionary<string, string> { ["Input.MedicalContext"] = "Patient né le 3 mai 1962.", ["action"] = "plus-tard" }));
        Assert.Contains(refused.Texts("#resume-erreurs li"), s => s.Contains("« 3 mai 1962 » est une date trop précise", StringComparison.Ordinal));

        var saved = await client.SubmitAsync($"/demandes/{id}/patient",
            new Dictionary<string, string> { ["Input.LastNameInitial"] = "D", ["Input.MedicalContext"] = "Symptômes depuis 2024.", ["action"] = "plus-tard" });
        Assert.Equal("/demandes", saved.Headers.Location!.OriginalString);
        var list = await Html.ParseAsync(await client.GetAsync("/demandes"));
        Assert.Equal("Votre brouillon est enregistré. Vous pourrez le reprendre depuis cette page.", list.Text(".fr-alert--success"));

        // Days later: the draft resumes at the step left unfinished, with what was saved.
        var draftPage = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}"));
        Assert.Equal($"/demandes/{id}/patient", draftPage.QuerySelector("a.fr-btn[href$='/patient']")!.GetAttribute("href"));
        var resumed = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/patient"));
        Assert.Equal("D", resumed.QuerySelector("#Input_LastNameInitial")!.GetAttribute("value"));
        Assert.Equal("Symptômes depuis 2024.", resumed.Text("#Input_MedicalContext"));
    }

    [Fact]
    public async Task MissingAnswers_AreEachNamed_AndTheSummaryListsThemWithLinksToTheirStep()
    {
        var (client, id) = await StartAsync();
        var page = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/parties", new Dictionary<string, string> { ["action"] = "continuer" }));
        Assert.Equal(
        [
            "Vous déposez en tant que : ce champ est obligatoire, renseignez-le.",
            "Type de dispositif (base légale) : ce champ est obligatoire, renseignez-le.",
            "Nom du contact : ce champ est obligatoire, renseignez-le.",
            "E-mail du contact : ce champ est obligatoire, renseignez-le.",
            "Téléphone du contact : ce champ est obligatoire, renseignez-le.",
        ], page.Texts("#resume-erreurs li"));

        await client.SubmitAsync($"/demandes/{id}/parties", new Dictionary<string, string> { ["Input.ContactName"] = "Anna Becker", ["action"] = "plus-tard" });
        var summary = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/recapitulatif"));
        var missing = summary.QuerySelectorAll("#a-completer li a").ToList();
        Assert.Contains(missing, a => a.TextContent == "E-mail du contact : ce champ est obligatoire, renseignez-le." && a.GetAttribute("href") == $"/demandes/{id}/parties#Input_ContactEmail");
        Assert.Contains(missing, a => a.GetAttribute("href") == $"/demandes/{id}/declarations#Input_InformationAccurate");
        Assert.Contains(missing, a => a.TextContent.StartsWith("Pièce obligatoire manquante : Justification médicale du prescripteur (anonymisée).", StringComparison.Ordinal)
                                      && a.GetAttribute("href") == $"/demandes/{id}/documents#Input_DocumentMedicalJustification");
    }

    [Fact]
    public async Task DeviceStep_OffersTheRiskClassesOfTheChosenKindOfDevice()
    {
        var (client, id) = await StartAsync();
        var parties = new Dictionary<string, string>(WizardFill.Individual[0].Fields) { ["Input.LegalBasis"] = "MedicalDevice", ["action"] = "continuer" };
        await client.SubmitAsync($"/demandes/{id}/parties", parties);

        var page = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/dispositif"));
        Assert.Equal(["I", "IIa", "IIb", "III"], page.QuerySelectorAll("input[name='Input.RiskClass']").Select(i => i.GetAttribute("value")));
        Assert.Null(page.QuerySelector("#Input_MethodPrinciple")); // IVD-only characteristics are not asked

        var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/dispositif",
            new Dictionary<string, string>(WizardFill.Individual[1].Fields) { ["action"] = "continuer" }));
        Assert.Contains("Classe de risque : choisissez l'une des classes I, IIa, IIb, III (elles dépendent du type de dispositif choisi à l'étape 1).", refused.Texts("#resume-erreurs li"));
    }

    /// <summary>The portal remembers the drafts it just read or saved (RememberedDrafts): that never opens one to another organisation.</summary>
    [Fact]
    public async Task AnotherOrganisation_PostingToADraftThePortalRemembers_GetsNotFound_AndChangesNothing()
    {
        var (owner, id) = await StartAsync();
        Assert.Equal(HttpStatusCode.Redirect, (await owner.SubmitAsync($"/demandes/{id}/parties", Continue(WizardFill.Individual[0].Fields))).StatusCode);

        foreach (var role in new[] { Roles.Manufacturer, Roles.Consultant })
        {
            var other = await portal.CreateClientAsAsync(role);
            var forged = new Dictionary<string, string>(Continue(WizardFill.Individual[0].Fields)) { ["Input.ContactName"] = "Intrus" };
            var response = await other.SubmitPairsAsync($"/demandes/{id}/parties", forged, tokenPage: "/demandes/individuelle/nouvelle");
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        Assert.Equal(WizardFill.Individual[0].Fields["Input.ContactName"], (await DraftAsync(id)).Answers.Parties.ContactName);
    }

    /// <summary>
    /// Steps posted one after the other without a form shown in between (a second click, a script): each is saved
    /// against the draft as the previous save left it, so none undoes another.
    /// </summary>
    [Fact]
    public async Task StepsPostedOneAfterAnother_WithoutAFormShownBetween_AreAllKept()
    {
        var (client, id) = await StartAsync();
        async Task PostAsync(string slug, Dictionary<string, string> fields) =>
            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitPairsAsync($"/demandes/{id}/{slug}", Continue(fields), tokenPage: "/demandes/individuelle/nouvelle")).StatusCode);
        var (partiesSlug, parties) = WizardFill.Individual[0];
        var (deviceSlug, device) = WizardFill.Individual[1];

        await PostAsync(partiesSlug, parties);
        await PostAsync(deviceSlug, device);
        await PostAsync(partiesSlug, new Dictionary<string, string>(parties) { ["Input.ContactName"] = "Clara Martin" });
        await PostAsync(partiesSlug, new Dictionary<string, string>(parties) { ["Input.ContactName"] = "Clara Martin-Roux" });

        var draft = await DraftAsync(id);
        Assert.Equal("Clara Martin-Roux", draft.Answers.Parties.ContactName);
        Assert.Equal("GenoScreen NGS Panel", draft.DeviceName);
        Assert.Equal("GenoScreen NGS Panel", draft.Answers.Device.TradeName);
    }

    /// <summary>Submitted since the portal remembered it as a draft: a step posted to it straight away changes nothing.</summary>
    [Fact]
    public async Task ASubmittedApplication_PostedToThroughAStepThePortalRemembers_GetsNotFound_AndIsUnchanged()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var id = await Filing.IndividualReadyToSubmitAsync(client);
        await Filing.SubmitDraftAsync(client, id);
        var before = await DraftAsync(id);

        var forged = new Dictionary<string, string>(Continue(WizardFill.Individual[0].Fields)) { ["Input.ContactName"] = "Changé après le dépôt" };
        var response = await client.SubmitPairsAsync($"/demandes/{id}/parties", forged, tokenPage: "/demandes/individuelle/nouvelle");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var after = await DraftAsync(id);
        Assert.Equal(before.Answers.Parties.ContactName, after.Answers.Parties.ContactName);
        Assert.Equal(before.RowVersion, after.RowVersion);
    }

    [Fact]
    public async Task TwoTabs_TheSecondSaveIsRefusedWithAClearMessage_AndKeepsWhatWasTyped()
    {
        var (client, id) = await StartAsync();
        var firstTab = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/parties"));
        var secondTab = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/parties"));

        var fields = new Dictionary<string, string>(WizardFill.Individual[0].Fields) { ["action"] = "plus-tard" };
        Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync(firstTab, $"/demandes/{id}/parties", fields)).StatusCode);

        var second = await Html.ParseAsync(await client.SubmitAsync(secondTab, $"/demandes/{id}/parties",
            new Dictionary<string, string>(fields) { ["Input.ContactName"] = "Quelqu'un d'autre" }));
        Assert.StartsWith("Ce brouillon a été modifié entre-temps", second.Text("#resume-erreurs li"));
        Assert.Equal("Quelqu'un d'autre", second.QuerySelector("#Input_ContactName")!.GetAttribute("value"));
        Assert.Equal("Anna Becker", (await DraftAsync(id)).Answers.Parties.ContactName);
    }

    [Fact]
    public async Task Draft_CanBeDeleted_AfterConfirmation()
    {
        var (client, id) = await StartAsync();
        var confirmation = await Html.ParseAsync(await client.GetAsync($"/demandes/{id}/supprimer"));
        Assert.Contains("Cette action est irréversible.", confirmation.Text("main .fr-text--lead"));
        Assert.NotNull(await DraftAsync(id)); // asking is not deleting

        var deleted = await client.SubmitAsync(confirmation, $"/demandes/{id}/supprimer", new Dictionary<string, string>());
        Assert.Equal("/demandes", deleted.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/demandes/{id}/parties")).StatusCode);
    }

    [Fact]
    public async Task Consultant_FilesOnlyForAManufacturerWithAMandateInForce()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var client = await portal.CreateClientForAsync(consultant);
        var withoutMandate = await Html.ParseAsync(await client.GetAsync("/demandes/individuelle/nouvelle"));
        Assert.StartsWith("Aucun fabricant ne vous a donné de mandat en vigueur", withoutMandate.Text(".fr-alert--warning"));

        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var stranger = await portal.CreateUserAsync(Roles.Manufacturer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var mandates = scope.ServiceProvider.GetRequiredService<MandateService>();
            await mandates.GrantAsync(manufacturer.OrganisationId, consultant.OrganisationId, mandates.Today, null, null, manufacturer.Id);
        }

        var page = await Html.ParseAsync(await client.GetAsync("/demandes/individuelle/nouvelle"));
        Assert.Equal([manufacturer.OrganisationId.ToString()], page.QuerySelectorAll("#ManufacturerId option[value!='']").Select(o => o.GetAttribute("value")));

        // A manufacturer without a mandate, posted by hand, is refused.
        var refused = await Html.ParseAsync(await client.SubmitAsync(page, "/demandes/individuelle/nouvelle", new Dictionary<string, string> { ["ManufacturerId"] = stranger.OrganisationId.ToString() }));
        Assert.Equal("Choisissez un fabricant dont le mandat est en vigueur.", refused.Text("#ManufacturerId-messages"));

        var started = await client.SubmitAsync(page, "/demandes/individuelle/nouvelle", new Dictionary<string, string> { ["ManufacturerId"] = manufacturer.OrganisationId.ToString() });
        var draft = await DraftAsync(Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]));
        Assert.Equal(manufacturer.OrganisationId, draft.ManufacturerId);
        Assert.Equal(consultant.OrganisationId, draft.FilingOrganisationId);
        Assert.Equal(FiledAs.Consultant, draft.Answers.Parties.FiledAs);
    }

    [Fact]
    public async Task SomeoneElsesDraft_IsNotFound_OnEveryStep()
    {
        var (_, id) = await StartAsync();
        var colleagueOfNobody = await portal.CreateClientAsAsync(Roles.Manufacturer);
        foreach (var slug in WizardFill.Individual.Select(s => s.Slug).Append("documents").Append("recapitulatif").Append("supprimer"))
        {
            Assert.Equal(HttpStatusCode.NotFound, (await colleagueOfNobody.GetAsync($"/demandes/{id}/{slug}")).StatusCode);
        }
    }
}
