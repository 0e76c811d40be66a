using System.Net;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

public sealed class MandateTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    [Fact]
    public async Task Consultancy_MayFileOnlyForManufacturersWhoseMandateIsInForce()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var inForce = await portal.CreateUserAsync(Roles.Manufacturer);
        var revoked = await portal.CreateUserAsync(Roles.Manufacturer);
        var notYet = await portal.CreateUserAsync(Roles.Manufacturer);
        var ended = await portal.CreateUserAsync(Roles.Manufacturer);
        var manufacturers = await InScopeAsync(async services =>
        {
            var mandates = services.GetRequiredService<MandateService>();
            var today = mandates.Today;
            await mandates.GrantAsync(inForce.OrganisationId, consultant.OrganisationId, today.AddDays(-1), today, null, inForce.Id);
            var (_, toRevoke) = await mandates.GrantAsync(revoked.OrganisationId, consultant.OrganisationId, today.AddDays(-1), null, null, revoked.Id);
            await mandates.RevokeAsync(toRevoke!.Id, revoked.OrganisationId, revoked.Id);
            await mandates.GrantAsync(notYet.OrganisationId, consultant.OrganisationId, today.AddDays(1), null, null, notYet.Id);
            await mandates.GrantAsync(ended.OrganisationId, consultant.OrganisationId, today.AddDays(-30), today.AddDays(-1), null, ended.Id);
            return await mandates.ManufacturersInForceAsync(consultant.OrganisationId);
        });

        Assert.Equal([inForce.OrganisationId], manufacturers.Select(m => m.Id));
    }

    [Fact]
    public async Task Manufacturer_GrantsThenRevokes_AndTheConsultancySeesEachChange()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var manufacturerClient = await portal.CreateClientForAsync(manufacturer);
        var consultantClient = await portal.CreateClientForAsync(consultant);

        var page = await Html.ParseAsync(await manufacturerClient.GetAsync("/mandats"));
        var consultancyOption = page.QuerySelector($"#Input_ConsultancyId option[value='{consultant.OrganisationId}']");
        Assert.NotNull(consultancyOption);
        var granted = await manufacturerClient.SubmitAsync(page, "/mandats", new Dictionary<string, string>
        {
            ["Input.ConsultancyId"] = consultant.OrganisationId.ToString(),
            ["Input.ValidFrom"] = DateTime.Today.AddDays(-1).ToString("yyyy-MM-dd"),
            ["Input.ValidUntil"] = DateTime.Today.AddYears(1).ToString("yyyy-MM-dd"),
            ["Input.Scope"] = "DMDIV uniquement",
        }, "form[action*='handler=Grant']");
        Assert.Equal(HttpStatusCode.Redirect, granted.StatusCode);
        var afterGrant = await Html.ParseAsync(await manufacturerClient.GetAsync("/mandats"));
        Assert.Equal("Le mandat est enregistré.", afterGrant.Text(".fr-alert--success"));

        var held = await Html.ParseAsync(await consultantClient.GetAsync("/mandats"));
        Assert.Contains("En vigueur", held.Texts("tbody td"));
        Assert.Contains("DMDIV uniquement", held.Texts("tbody td"));

        await manufacturerClient.SubmitAsync(afterGrant, "/mandats", new Dictionary<string, string>(), "form[action*='handler=Revoke']");
        var afterRevoke = await Html.ParseAsync(await consultantClient.GetAsync("/mandats"));
        Assert.Contains("Révoqué", afterRevoke.Texts("tbody td"));

        var actions = await InScopeAsync(services => services.GetRequiredService<DerogationDbContext>().AuditEvents
            .Where(e => e.ActorUserId == manufacturer.Id).Select(e => e.Action).ToListAsync());
        Assert.Contains(AuditActions.MandateGranted, actions);
        Assert.Contains(AuditActions.MandateRevoked, actions);
    }

    [Fact]
    public async Task Grant_WithAnEndBeforeItsStart_IsRefused_AndKeepsTheOtherAnswers()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var client = await portal.CreateClientForAsync(manufacturer);
        var page = await Html.ParseAsync(await client.SubmitAsync("/mandats", new Dictionary<string, string>
        {
            ["Input.ConsultancyId"] = consultant.OrganisationId.ToString(),
            ["Input.ValidFrom"] = "2026-06-01",
            ["Input.ValidUntil"] = "2026-05-01",
            ["Input.Scope"] = "Tous dispositifs",
        }, "form[action*='handler=Grant']"));

        Assert.Equal("La date de fin est antérieure à la date de début : saisissez une date de fin postérieure.", page.Text("#Input_ValidUntil-messages"));
        Assert.Equal("2026-06-01", page.QuerySelector("#Input_ValidFrom")!.GetAttribute("value"));
        Assert.Equal("Tous dispositifs", page.Text("#Input_Scope"));
        Assert.NotNull(page.QuerySelector($"#Input_ConsultancyId option[value='{consultant.OrganisationId}'][selected]"));
    }

    [Fact]
    public async Task Grant_WithAnUnreadableDate_SaysSoInFrench()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var page = await Html.ParseAsync(await (await portal.CreateClientForAsync(manufacturer)).SubmitAsync("/mandats",
            new Dictionary<string, string> { ["Input.ValidFrom"] = "premier juin" }, "form[action*='handler=Grant']"));
        Assert.Equal("Début de validité : « premier juin » n'est pas une date. Choisissez-la dans le calendrier ou écrivez-la par exemple 31/12/2026.", page.Text("#Input_ValidFrom-messages"));
    }

    [Fact]
    public async Task LetterForAnUnregisteredManufacturer_IsCheckedByContent_ThenVerifiedByAnAdministrator()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var consultantClient = await portal.CreateClientForAsync(consultant);
        var manufacturerName = $"Unregistered Devices Inc {Guid.NewGuid():N}"[..36];

        // An executable renamed .pdf is refused, and the rest of the form is kept.
        var refused = await Html.ParseAsync(await UploadAsync(consultantClient, manufacturerName, "lettre.pdf", [0x4D, 0x5A, 0x90, 0x00, 0x03]));
        Assert.Equal("Ce fichier n'est pas un PDF (son contenu a été vérifié, pas seulement son nom) : joignez la lettre au format PDF.", refused.Text("#Input_Letter-messages"));
        Assert.Equal(manufacturerName, refused.QuerySelector("#Input_ManufacturerName")!.GetAttribute("value"));

        var empty = await Html.ParseAsync(await UploadAsync(consultantClient, manufacturerName, "vide.pdf", []));
        Assert.Equal("Le fichier est vide : joignez le document complet.", empty.Text("#Input_Letter-messages"));

        // A PDF that is not one well-formed PDF is refused too (checked like every document).
        var broken = await Html.ParseAsync(await UploadAsync(consultantClient, manufacturerName, "lettre.pdf", "%PDF-1.7\n%âãÏÓ\n1 0 obj\n"u8.ToArray()));
        Assert.StartsWith("Fichier : ce fichier n'est pas un PDF unique et bien formé", broken.Text("#Input_Letter-messages"), StringComparison.Ordinal);

        var accepted = await UploadAsync(consultantClient, manufacturerName, "../../mandat signé.pdf", Derogation.Tests.Applications.WizardDocuments.Pdf("Mandat"));
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Contains("Lettre en cours de vérification par l'ANSM", (await Html.ParseAsync(await consultantClient.GetAsync("/mandats"))).Texts("tbody td"));

        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var pending = await Html.ParseAsync(await admin.GetAsync("/admin/mandats"));
        var card = pending.QuerySelectorAll("section.fr-card").Single(c => c.TextContent.Contains(manufacturerName, StringComparison.Ordinal));
        var download = await admin.GetAsync(card.QuerySelector("a[href*='handler=Letter']")!.GetAttribute("href"));
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("mandat_signé.pdf", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);

        var verifyForm = card.QuerySelector("form[action*='handler=Verify']")!;
        await admin.SubmitAsync(pending, "/admin/mandats", new Dictionary<string, string>(), $"form[action='{verifyForm.GetAttribute("action")}']");

        var manufacturers = await InScopeAsync(services => services.GetRequiredService<MandateService>().ManufacturersInForceAsync(consultant.OrganisationId));
        var manufacturer = Assert.Single(manufacturers);
        Assert.Equal(manufacturerName, manufacturer.LegalName);
        Assert.Equal(OrganisationKind.Manufacturer, manufacturer.Kind);
    }

    [Fact]
    public async Task RejectingALetter_NeedsAReason_WhichTheConsultancyThenSees()
    {
        var consultant = await portal.CreateUserAsync(Roles.Consultant);
        var consultantClient = await portal.CreateClientForAsync(consultant);
        var manufacturerName = $"Rejected Devices {Guid.NewGuid():N}"[..30];
        await UploadAsync(consultantClient, manufacturerName, "lettre.pdf", Derogation.Tests.Applications.WizardDocuments.Pdf("Mandat"));

        var admin = await portal.CreateClientAsAsync(Roles.Administrator);
        var pending = await Html.ParseAsync(await admin.GetAsync("/admin/mandats"));
        var card = pending.QuerySelectorAll("section.fr-card").Single(c => c.TextContent.Contains(manufacturerName, StringComparison.Ordinal));
        var rejectAction = card.QuerySelector("form[action*='handler=Reject']")!.GetAttribute("action")!;

        var withoutReason = await Html.ParseAsync(await admin.SubmitAsync(pending, "/admin/mandats", new Dictionary<string, string> { ["Reason"] = " " }, $"form[action='{rejectAction}']"));
        Assert.Contains("Saisissez le motif du refus : il sera communiqué au cabinet.", withoutReason.Texts("#resume-erreurs li"));

        await admin.SubmitAsync(pending, "/admin/mandats", new Dictionary<string, string> { ["Reason"] = "La lettre n'est pas signée." }, $"form[action='{rejectAction}']");
        var held = await Html.ParseAsync(await consultantClient.GetAsync("/mandats"));
        Assert.Contains(held.Texts("tbody td"), t => t.Contains("Refusé", StringComparison.Ordinal) && t.Contains("La lettre n'est pas signée.", StringComparison.Ordinal));
    }

    internal static async Task<HttpResponseMessage> UploadAsync(HttpClient client, string manufacturerName, string fileName, byte[] content,
        string? contactEmail = null, string? srn = null, string country = "États-Unis")
    {
        var page = await Html.ParseAsync(await client.GetAsync("/mandats/lettre"));
        var token = page.QuerySelector("main form input[name='__RequestVerificationToken']")!.GetAttribute("value")!;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent(manufacturerName), "Input.ManufacturerName" },
            { new StringContent("100 Main Street, Boston MA"), "Input.ManufacturerAddress" },
            { new StringContent(country), "Input.ManufacturerCountry" },
            { new StringContent(contactEmail ?? "regulatory@unregistered.example"), "Input.ContactEmail" },
            { new StringContent(srn ?? ""), "Input.ManufacturerSrn" },
            { new StringContent("2026-01-01"), "Input.ValidFrom" },
            { new ByteArrayContent(content), "Input.Letter", fileName },
        };
        return await client.PostAsync("/mandats/lettre", form);
    }
}
