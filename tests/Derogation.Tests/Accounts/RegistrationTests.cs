using System.Net;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

public sealed class RegistrationTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static Dictionary<string, string> ValidForm(string legalName, string email) => new()
    {
        ["Input.Kind"] = "Manufacturer",
        ["Input.LegalName"] = legalName,
        ["Input.Address"] = "Hauptstraße 5, 80331 München",
        ["Input.Country"] = "Allemagne",
        ["Input.EudamedSrn"] = "de-mf-000000042",
        ["Input.FullName"] = "Jürgen Weiß",
        ["Input.Email"] = email,
        ["Input.Password"] = "Sehr-Sicher-2026",
        ["Input.ConfirmPassword"] = "Sehr-Sicher-2026",
    };

    [Fact]
    public async Task Register_ConfirmByEmail_ThenSignIn_AsTheOrganisationsAdministrator()
    {
        var client = portal.CreateAnonymousClient();
        var email = $"jurgen-{Guid.NewGuid():N}@medtech.example";

        var registered = await client.SubmitAsync("/compte/inscription", ValidForm($"Weiß Medizintechnik {Guid.NewGuid():N}", email));
        Assert.Equal(HttpStatusCode.Redirect, registered.StatusCode);
        Assert.Equal("/compte/inscription/verifiez-vos-emails", registered.Headers.Location!.OriginalString);

        // Before confirming, signing in is refused with an explanation.
        var early = await Html.ParseAsync(await client.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Sehr-Sicher-2026" }));
        Assert.Contains("pas encore confirmée", early.Text("#resume-erreurs"));

        var mail = await portal.WaitForMailAsync(m => m.To.Contains(email, StringComparison.Ordinal));
        Assert.Contains("Confirmez votre adresse", mail.Subject);
        var confirmed = await Html.ParseAsync(await client.GetAsync(mail.Link("/compte/confirmer-email").PathAndQuery));
        Assert.Equal("Adresse e-mail confirmée", confirmed.Text("h1"));

        var signedIn = await client.SubmitAsync("/compte/connexion", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = "Sehr-Sicher-2026" });
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        var home = await Html.ParseAsync(await client.GetAsync("/"));
        Assert.Contains("Membres", home.Texts("#navigation-principale .fr-nav__link"));

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var user = await db.Users.Include(u => u.Organisation).SingleAsync(u => u.Email == email);
        Assert.True(user.IsOrganisationAdministrator);
        Assert.Equal("DE-MF-000000042", user.Organisation.EudamedSrn);
        var actions = await db.AuditEvents.Where(e => e.ActorUserId == user.Id).Select(e => e.Action).ToListAsync();
        Assert.Contains(AuditActions.OrganisationRegistered, actions);
        Assert.Contains(AuditActions.EmailConfirmed, actions);
        Assert.Contains(AuditActions.SignedIn, actions);
        // The audit trail holds no e-mail address or password.
        Assert.DoesNotContain(await db.AuditEvents.Select(e => e.Details ?? "").ToListAsync(), d => d.Contains('@') || d.Contains("Sicher"));
    }

    [Fact]
    public async Task Register_WithBadInput_NamesEachFieldAndItsFix_AndKeepsWhatWasTyped()
    {
        var form = ValidForm("Société Épreuve", "pas-une-adresse");
        form.Remove("Input.Kind");
        form["Input.EudamedSrn"] = "12345";
        form["Input.Password"] = "court";
        form["Input.ConfirmPassword"] = "autre";
        var response = await portal.CreateAnonymousClient().SubmitAsync("/compte/inscription", form);
        var page = await Html.ParseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var summary = page.Texts("#resume-erreurs li");
        Assert.Contains("Choisissez le type de votre organisation : fabricant ou cabinet de conseil.", summary);
        Assert.Contains("L'adresse e-mail n'est pas valide : saisissez-la au format nom@domaine.fr.", summary);
        Assert.Contains(summary, s => s.StartsWith("Le SRN n'a pas le bon format", StringComparison.Ordinal));
        Assert.Contains(summary, s => s.StartsWith("Le mot de passe est trop faible", StringComparison.Ordinal));
        Assert.Contains("Les deux mots de passe ne sont pas identiques : saisissez le même mot de passe deux fois.", summary);
        // Each summary entry links to its field, and the field shows its message.
        Assert.NotNull(page.QuerySelector("#resume-erreurs a[href='#Input_Email']"));
        Assert.Equal("L'adresse e-mail n'est pas valide : saisissez-la au format nom@domaine.fr.", page.Text("#Input_Email-messages"));
        // What was typed is kept, except passwords, which are never sent back.
        Assert.Equal("Société Épreuve", page.QuerySelector("#Input_LegalName")!.GetAttribute("value"));
        Assert.Equal("Hauptstraße 5, 80331 München", page.Text("#Input_Address"));
        Assert.Equal("pas-une-adresse", page.QuerySelector("#Input_Email")!.GetAttribute("value"));
        Assert.Equal("", page.QuerySelector("#Input_Password")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Register_MissingFields_AreEachNamed()
    {
        var response = await portal.CreateAnonymousClient().SubmitAsync("/compte/inscription", new Dictionary<string, string>());
        var summary = (await Html.ParseAsync(response)).Texts("#resume-erreurs li");

        // Every missing field, listed in the order of the form.
        Assert.Equal(
        [
            "Choisissez le type de votre organisation : fabricant ou cabinet de conseil.",
            "Saisissez la raison sociale de l'organisation.",
            "Saisissez l'adresse de l'organisation.",
            "Saisissez le pays de l'organisation.",
            "Saisissez votre prénom et votre nom.",
            "Saisissez votre adresse e-mail.",
            "Saisissez votre mot de passe.",
        ], summary);
    }

    [Fact]
    public async Task Register_WithAnAddressThatHasAnAccount_AnswersLikeAFreeOne_AndTellsTheOwner()
    {
        var owner = await portal.CreateUserAsync(Derogation.Core.Organisations.Roles.Manufacturer);
        var client = portal.CreateAnonymousClient();
        var response = await client.SubmitAsync("/compte/inscription", ValidForm($"Autre Société {Guid.NewGuid():N}", owner.Email));

        // The same answer as for a free address: "check your e-mails".
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/compte/inscription/verifiez-vos-emails", response.Headers.Location!.OriginalString);
        var mail = await portal.WaitForMailAsync(m => m.To == owner.Email && m.Subject.StartsWith("Tentative d'inscription avec votre adresse", StringComparison.Ordinal));
        Assert.Contains("Aucun compte n'a été créé", mail.Body, StringComparison.Ordinal);
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        Assert.Equal(1, await db.Users.CountAsync(u => u.Email == owner.Email));
    }

    [Fact]
    public async Task Register_DuplicateOrganisation_IsRefusedOnItsName()
    {
        var name = $"Doublon SA {Guid.NewGuid():N}";
        var client = portal.CreateAnonymousClient();
        await client.SubmitAsync("/compte/inscription", ValidForm(name, $"a-{Guid.NewGuid():N}@x.example"));

        var second = await Html.ParseAsync(await client.SubmitAsync("/compte/inscription", ValidForm(name.ToUpperInvariant(), $"b-{Guid.NewGuid():N}@x.example")));
        Assert.Equal("Une organisation de ce type porte déjà ce nom dans ce pays : demandez à son administrateur de vous inviter.",
            second.Text("#Input_LegalName-messages"));
        Assert.Equal("Jürgen Weiß", second.QuerySelector("#Input_FullName")!.GetAttribute("value"));
    }

    [Fact]
    public async Task Register_InEnglish_ExplainsErrorsInEnglish()
    {
        var client = portal.CreateAnonymousClient();
        await client.GetAsync("/langue/en?retour=/");
        var form = ValidForm("English Devices Ltd", "not-an-address");
        var page = await Html.ParseAsync(await client.SubmitAsync("/compte/inscription", form));

        Assert.Equal("There is a problem", page.Text("#resume-erreurs h2"));
        Assert.Contains("The e-mail address is not valid: enter it as name@domain.com.", page.Texts("#resume-erreurs li"));
    }
}
