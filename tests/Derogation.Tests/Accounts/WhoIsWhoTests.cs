using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

/// <summary>
/// Who is who (docs/journeys/individual-application.md, "Who files"): mandate letters only for manufacturers without an
/// account, a manufacturer created from a letter reachable and claimable, organisations verified by ANSM, the
/// authorised representative, importers and distributors, and the device's user named and copied.
/// </summary>
public sealed class WhoIsWhoTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    private Task<Organisation> OrganisationAsync(Guid id) =>
        InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Organisations.AsNoTracking().SingleAsync(o => o.Id == id));

    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    [Fact]
    public async Task ALetterNamingARegisteredManufacturer_IsRefused_BySameNameAndCountry_OrBySameSrn()
    {
        var registered = await portal.CreateUserAsync(Roles.Manufacturer);
        var srn = $"DE-MF-{Random.Shared.Next(100_000_000, 999_999_999)}";
        await InScopeAsync(async services =>
            await services.GetRequiredService<DerogationDbContext>().Organisations.Where(o => o.Id == registered.OrganisationId)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.EudamedSrn, srn)));
        var manufacturer = await OrganisationAsync(registered.OrganisationId);
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var client = await portal.CreateClientForAsync(consultant);

        // Same legal name (whatever the case) and same country.
        var sameName = await Html.ParseAsync(await MandateTests.UploadAsync(client, manufacturer.LegalName.ToUpperInvariant(), "mandat.pdf",
            WizardDocuments.Pdf("Mandat"), country: "france"));
        Assert.StartsWith("Ce fabricant a déjà un compte sur le portail", sameName.Text("#Input_ManufacturerName-messages"), StringComparison.Ordinal);
        Assert.Equal("france", sameName.QuerySelector("#Input_ManufacturerCountry")!.GetAttribute("value"));

        // Another name, but the registered manufacturer's SRN.
        var sameSrn = await Html.ParseAsync(await MandateTests.UploadAsync(client, "Quite Another Name Ltd", "mandat.pdf", WizardDocuments.Pdf("Mandat"), srn: srn.ToLowerInvariant()));
        Assert.StartsWith("Ce fabricant a déjà un compte sur le portail", sameSrn.Text("#Input_ManufacturerName-messages"), StringComparison.Ordinal);

        // A malformed SRN and a missing contact address are named, each with its fix.
        var malformed = await Html.ParseAsync(await MandateTests.UploadAsync(client, "Quite Another Name Ltd", "mandat.pdf", WizardDocuments.Pdf("Mandat"), contactEmail: " ", srn: "DE-123"));
        Assert.StartsWith("Le SRN n'a pas le bon format", malformed.Text("#Input_ManufacturerSrn-messages"), StringComparison.Ordinal);
        Assert.StartsWith("Saisissez l'adresse e-mail du contact réglementaire", malformed.Text("#Input_ContactEmail-messages"), StringComparison.Ordinal);

        Assert.Empty(await InScopeAsync(services => services.GetRequiredService<MandateService>().HeldByAsync(consultant.OrganisationId)));
    }

    [Fact]
    public async Task ALetterCreatedManufacturer_IsNeverAnExistingOne_ItsContactGetsEveryCopy_AndClaimsIt()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        // A registered manufacturer with a close name: the administrator is shown it before verifying.
        var near = await portal.CreateUserAsync(Roles.Manufacturer);
        await InScopeAsync(async services =>
            await services.GetRequiredService<DerogationDbContext>().Organisations.Where(o => o.Id == near.OrganisationId)
                .ExecuteUpdateAsync(set => set.SetProperty(o => o.LegalName, $"Orthopedica {suffix} GmbH")));
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var consultantClient = await portal.CreateClientForAsync(consultant);
        var contact = $"ra-{suffix}@orthopedica.example";
        var uploaded = await MandateTests.UploadAsync(consultantClient, $"Orthopedica {suffix} Inc.", "mandat.pdf", WizardDocuments.Pdf("Mandat"), contactEmail: contact);
        Assert.Equal(HttpStatusCode.Redirect, uploaded.StatusCode);

        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var pending = await Html.ParseAsync(await admin.GetAsync("/admin/mandats"));
        var card = pending.QuerySelectorAll("section.fr-card").Single(c => c.TextContent.Contains($"Orthopedica {suffix} Inc.", StringComparison.Ordinal));
        Assert.Contains($"Orthopedica {suffix} GmbH", card.QuerySelector(".quasi-homonymes")!.TextContent, StringComparison.Ordinal);
        Assert.Contains(contact, card.TextContent, StringComparison.Ordinal);
        var verify = card.QuerySelector("form[action*='handler=Verify']")!.GetAttribute("action");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(pending, "/admin/mandats", new Dictionary<string, string>(), $"form[action='{verify}']")).StatusCode);

        // A new, verified manufacturer — never the near one, which was neither asked nor told.
        var created = Assert.Single(await InScopeAsync(services => services.GetRequiredService<MandateService>().ManufacturersInForceAsync(consultant.OrganisationId)));
        Assert.NotEqual(near.OrganisationId, created.Id);
        var organisation = await OrganisationAsync(created.Id);
        Assert.True(organisation.IsVerified);
        Assert.Equal(contact, organisation.ContactEmail);
        Assert.DoesNotContain(portal.SentMails(), m => m.To.Contains(near.Email, StringComparison.OrdinalIgnoreCase));
        var invitation = await portal.WaitForMailAsync(m => m.To == contact && m.Body.Contains("réclamez l'organisation", StringComparison.Ordinal));

        // Before anyone claims it, the contact gets what the manufacturer would: the submission, then the decision letter itself.
        var (reference, _) = await Filing.SubmitIndividualAsync(consultantClient, manufacturerId: created.Id);
        await portal.WaitForMailAsync(m => m.To == contact && m.Subject.Contains(reference, StringComparison.Ordinal) && m.Subject.Contains("déposée", StringComparison.Ordinal));
        await portal.GrantAsync(reference);
        var letter = await portal.WaitForMailAsync(m => m.To == contact && m.Subject.Contains(reference, StringComparison.Ordinal) && m.Attachments.Count == 1);
        Assert.Contains("Orthopedica", Flat(await PdfText.ReadAsync(letter.Attachments[0].Content)), StringComparison.Ordinal);

        // The contact claims the organisation: the first user is its administrator, and sees the application.
        var claimer = portal.CreateAnonymousClient();
        var claimPage = invitation.Link("/compte/invitation").PathAndQuery;
        var joined = await claimer.SubmitAsync(claimPage, new Dictionary<string, string>
        {
            ["Input.FullName"] = "Rita Aguilar", ["Input.Password"] = "Orthopedica-Claim-2026", ["Input.ConfirmPassword"] = "Orthopedica-Claim-2026",
        });
        Assert.Equal("/", joined.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await claimer.GetAsync("/organisation/membres")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await claimer.GetAsync($"/demandes/{reference}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await claimer.GetAsync("/mandats")).StatusCode);
    }

    [Fact]
    public async Task AnUnverifiedManufacturer_IsBadgedForReviewers_TheSignatoryConfirms_ThenAnAdministratorVerifiesIt()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer, verifiedOrganisation: false);
        var manufacturerClient = await portal.CreateClientForAsync(manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturerClient);

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        Assert.Equal("Organisation non vérifiée", queue.Text("tbody tr .organisation-non-verifiee"));
        await Filing.TakeAsync(reviewer, reference);
        Assert.Equal("Organisation non vérifiée", (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).Text("#fabricant .organisation-non-verifiee"));

        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["SignatoryId"] = signatory.Id.ToString() });
        var key = await portal.EnrolAuthenticatorAsync(signatory);
        var signatoryClient = await portal.CreateClientForAsync(signatory);
        var page = await Html.ParseAsync(await signatoryClient.GetAsync($"/instruction/{reference}/signature"));
        Assert.Contains("Organisation non vérifiée", page.Text("#fabricant-non-verifie"), StringComparison.Ordinal);

        // Without the confirmation (the box left unticked, as a forged post would), nothing is signed.
        var refused = await Html.ParseAsync(await signatoryClient.SubmitAsync(page, $"/instruction/{reference}/signature",
            new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "form#signer"));
        Assert.StartsWith("Le fabricant n'est pas vérifié", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal(ApplicationStatus.UnderReview, await InScopeAsync(services =>
            services.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Reference == reference).Select(a => a.Status).SingleAsync()));

        var signed = await signatoryClient.SubmitAsync(refused, $"/instruction/{reference}/signature",
            new Dictionary<string, string> { ["Code"] = Totp.Code(key), ["ConfirmUnverifiedManufacturer"] = "true" }, "form#signer");
        Assert.Equal(HttpStatusCode.Redirect, signed.StatusCode);

        // The manufacturer's administrator gives its evidence — checked like every document — and an administrator verifies it.
        var eicar = WizardDocuments.Pdf("Extrait").Concat("\n% "u8.ToArray()).Concat(Derogation.Core.Documents.LocalClamd.Eicar).ToArray();
        var infected = await Html.ParseAsync(await UploadEvidenceAsync(manufacturerClient, "extrait.pdf", eicar));
        Assert.StartsWith("Fichier : l'antivirus y a détecté", infected.Text("#Evidence-messages"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await UploadEvidenceAsync(manufacturerClient, "extrait.pdf", WizardDocuments.Pdf("Extrait périmé"))).StatusCode);
        // A second file replaces the first.
        var extract = WizardDocuments.Pdf("Extrait d'immatriculation");
        Assert.Equal(HttpStatusCode.Redirect, (await UploadEvidenceAsync(manufacturerClient, "extrait-kbis.pdf", extract)).StatusCode);
        Assert.Contains("Justificatif transmis : extrait-kbis.pdf", (await Html.ParseAsync(await manufacturerClient.GetAsync("/organisation/verification"))).Text("#organisation-non-verifiee"), StringComparison.Ordinal);

        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var list = await Html.ParseAsync(await admin.GetAsync("/admin/organisations"));
        var organisation = await OrganisationAsync(manufacturer.OrganisationId);
        var card = list.QuerySelectorAll("section.organisation-a-verifier").Single(c => c.TextContent.Contains(organisation.LegalName, StringComparison.Ordinal));
        var evidence = await admin.GetAsync(card.QuerySelector("a[href*='handler=Evidence']")!.GetAttribute("href"));
        Assert.Equal("application/pdf", evidence.Content.Headers.ContentType!.MediaType);
        Assert.Equal(extract, await evidence.Content.ReadAsByteArrayAsync());
        var verify = card.QuerySelector("form[action*='handler=Verify']")!.GetAttribute("action");
        Assert.Equal(HttpStatusCode.Redirect, (await admin.SubmitAsync(list, "/admin/organisations", new Dictionary<string, string>(), $"form[action='{verify}']")).StatusCode);

        Assert.True((await OrganisationAsync(manufacturer.OrganisationId)).IsVerified);
        Assert.Empty((await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).QuerySelectorAll("#fabricant .organisation-non-verifiee"));
        Assert.StartsWith("Votre organisation a été vérifiée par l'ANSM", (await Html.ParseAsync(await manufacturerClient.GetAsync("/organisation/verification"))).Text("#organisation-verifiee"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoEvidenceFilesSentAtOnce_AreBothAccepted_AndTheOrganisationKeepsOneOfThem()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer, verifiedOrganisation: false);
        var first = await portal.CreateClientForAsync(manufacturer);
        var second = await portal.CreateClientForAsync(manufacturer);
        var extracts = new[] { WizardDocuments.Pdf("Extrait A"), WizardDocuments.Pdf("Extrait B") };

        var sent = await Task.WhenAll(UploadEvidenceAsync(first, "extrait-a.pdf", extracts[0]), UploadEvidenceAsync(second, "extrait-b.pdf", extracts[1]));

        Assert.All(sent, response => Assert.Equal(HttpStatusCode.Redirect, response.StatusCode));
        var kept = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().OrganisationEvidence
            .Where(e => e.OrganisationId == manufacturer.OrganisationId).Select(e => e.Content).SingleAsync());
        Assert.Contains(extracts, extract => extract.SequenceEqual(kept));
    }

    private static async Task<HttpResponseMessage> UploadEvidenceAsync(HttpClient client, string fileName, byte[] content)
    {
        var page = await Html.ParseAsync(await client.GetAsync("/organisation/verification"));
        var token = page.QuerySelector("main form input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(content), "Evidence", fileName },
        };
        return await client.PostAsync("/organisation/verification", form);
    }

    [Fact]
    public async Task TheAuthorisedRepresentative_AndTheDevicesUser_AreNamedInTheLetter_AndGetTheirCopy()
    {
        var client = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        foreach (var (slug, fields) in WizardFill.Individual)
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            var values = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            if (slug == "parties")
            {
                values["Input.ManufacturerOutsideEu"] = "true";
                values["Input.AuthorisedRepresentativeName"] = "EU Rep Services BV";
                values["Input.AuthorisedRepresentativeAddress"] = "Keizersgracht 1\n1015 Amsterdam";
                values["Input.AuthorisedRepresentativeCountry"] = "Pays-Bas";
                values["Input.AuthorisedRepresentativeEmail"] = "not-an-address";
                var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/{slug}", values));
                Assert.Contains("Adresse e-mail du mandataire", refused.Text("#Input_AuthorisedRepresentativeEmail-messages"), StringComparison.Ordinal);
                values["Input.AuthorisedRepresentativeEmail"] = $"rep-{suffix}@eurep.example";
            }

            if (slug == "professionnels")
            {
                values["Input.DeviceUserEmail"] = $"surgeon-{suffix}@chu.example";
                var refused = await Html.ParseAsync(await client.SubmitAsync($"/demandes/{id}/{slug}", values));
                Assert.StartsWith("Utilisateur du dispositif : indiquez son nom", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
                values["Input.DeviceUserName"] = "Dr Hugo Lambert, chirurgien orthopédiste";
            }

            Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", values)).StatusCode);
        }

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        var reference = submitted.Headers.Location!.OriginalString.Split('/')[2];
        await portal.GrantAsync(reference);

        var representative = await portal.WaitForMailAsync(m => m.To == $"rep-{suffix}@eurep.example" && m.Attachments.Count == 1);
        var text = Flat(await PdfText.ReadAsync(representative.Attachments[0].Content));
        Assert.Contains("représenté par EU Rep Services BV, mandataire dans l'Union européenne Keizersgracht 1 1015 Amsterdam Pays-Bas", text, StringComparison.Ordinal);
        Assert.Contains("le dispositif étant utilisé par Dr Hugo Lambert, chirurgien orthopédiste", text, StringComparison.Ordinal);
        Assert.Contains("sera notifiée à Fabricant", text, StringComparison.Ordinal);
        Assert.Contains(", représenté par EU Rep Services BV, mandataire dans l'Union européenne.", text, StringComparison.Ordinal);
        Assert.DoesNotContain(",.", text, StringComparison.Ordinal);
        Assert.Contains("Dr Hugo Lambert, chirurgien orthopédiste, utilisateur du dispositif — CHU de Nulle-Part", text, StringComparison.Ordinal);
        Assert.Contains("EU Rep Services BV, mandataire dans l'Union européenne", text[text.IndexOf("Copie à", StringComparison.Ordinal)..], StringComparison.Ordinal);
        var user = await portal.WaitForMailAsync(m => m.To == $"surgeon-{suffix}@chu.example" && m.Attachments.Count == 1);
        Assert.Equal(representative.Attachments[0].Content, user.Attachments[0].Content);
    }

    [Fact]
    public async Task ADistributor_RegistersAndFilesUnderAMandate_AndIsNamedAsSuchInTheLetter()
    {
        // Registration offers importers and distributors.
        var anonymous = portal.CreateAnonymousClient();
        var form = await Html.ParseAsync(await anonymous.GetAsync("/compte/inscription"));
        Assert.NotNull(form.QuerySelector("input[name='Input.Kind'][value='Importer']"));
        var legalName = $"Distrib Santé {Guid.NewGuid():N}"[..28];
        var registered = await anonymous.SubmitAsync(form, "/compte/inscription", new Dictionary<string, string>
        {
            ["Input.Kind"] = "Distributor", ["Input.LegalName"] = legalName, ["Input.Address"] = "3 rue du Commerce, 69002 Lyon", ["Input.Country"] = "France",
            ["Input.FullName"] = "Denis Durand", ["Input.Email"] = $"d.durand-{Guid.NewGuid():N}@distrib.example",
            ["Input.Password"] = "Distribution-Sante-2026", ["Input.ConfirmPassword"] = "Distribution-Sante-2026",
        });
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        var distributorId = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Organisations
            .Where(o => o.LegalName == legalName).Select(o => new { o.Id, o.Kind, o.VerifiedAt }).SingleAsync());
        Assert.Equal(OrganisationKind.Distributor, distributorId.Kind);
        Assert.Null(distributorId.VerifiedAt);

        var distributor = await portal.CreateUserAsync(Roles.Consultant, organisationId: distributorId.Id);
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var distributorClient = await portal.CreateClientForAsync(distributor);
        // Without a mandate it files nothing for the manufacturer, whatever it posts.
        var refused = await distributorClient.SubmitAsync("/demandes/individuelle/nouvelle",
            new Dictionary<string, string> { ["ManufacturerId"] = manufacturer.OrganisationId.ToString() });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.NotEmpty((await Html.ParseAsync(refused)).Texts("#resume-erreurs li"));

        // The manufacturer grants it the mandate in the portal, where distributors are offered beside consultancies.
        var manufacturerClient = await portal.CreateClientForAsync(manufacturer);
        var mandates = await Html.ParseAsync(await manufacturerClient.GetAsync("/mandats"));
        Assert.Contains(mandates.QuerySelectorAll("select option"), o => o.TextContent.Contains($"{legalName} (France) — Distributeur", StringComparison.Ordinal));
        await InScopeAsync(async services =>
        {
            var service = services.GetRequiredService<MandateService>();
            return await service.GrantAsync(manufacturer.OrganisationId, distributorId.Id, service.Today, null, null, manufacturer.Id);
        });

        var (reference, id) = await Filing.SubmitIndividualAsync(distributorClient, manufacturerId: manufacturer.OrganisationId);
        var application = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().Applications.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(FiledAs.Distributor, application.Answers.Parties.FiledAs);
        var receipt = Flat(await PdfText.ReadAsync(await (await distributorClient.GetAsync($"/demandes/{reference}/recepisse")).Content.ReadAsByteArrayAsync()));
        Assert.Contains("En qualité de Distributeur", receipt, StringComparison.Ordinal);

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        Assert.Contains("Organisation non vérifiée", (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).Text("#deposant"), StringComparison.Ordinal);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant qu'une alternative marquée CE existe.", ["SignatoryId"] = signatory.Id.ToString() });
        await portal.SignAsync(reference, signatory);
        var letter = Flat(await PdfText.ReadAsync(await (await manufacturerClient.GetAsync($"/demandes/{reference}/lettre")).Content.ReadAsByteArrayAsync()));
        Assert.Contains($"déposée le", letter, StringComparison.Ordinal);
        Assert.Contains($"par {legalName}, distributeur, pour le compte de", letter, StringComparison.Ordinal);
        Assert.Contains($"{legalName}, distributeur, demandeur", letter, StringComparison.Ordinal);
    }
}
