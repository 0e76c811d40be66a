using System.Net;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

public sealed class SignInTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static Dictionary<string, string> Credentials(string email, string password) =>
        new() { ["Input.Email"] = email, ["Input.Password"] = password };

    [Fact]
    public async Task SignIn_ReturnsToTheRequestedLocalPage()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = portal.CreateAnonymousClient();

        var challenge = await client.GetAsync("/mandats");
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        Assert.Equal("/compte/connexion?retour=%2Fmandats", challenge.Headers.Location!.PathAndQuery);

        var response = await client.SubmitAsync("/compte/connexion?retour=%2Fmandats", Credentials(user.Email, user.Password));
        Assert.Equal("/mandats", response.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/mandats")).StatusCode);
    }

    [Fact]
    public async Task SignIn_NeverReturnsToAnotherSite()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var response = await portal.CreateAnonymousClient().SubmitAsync("/compte/connexion?retour=%2F%2Fevil.example", Credentials(user.Email, user.Password));
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task SignIn_AfterFiveFailures_TheAccountIsLocked_EvenWithTheRightPassword()
    {
        var user = await portal.CreateUserAsync(Roles.Consultant);
        var client = portal.CreateAnonymousClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            // From different clients (one client alone is held back after three: see below).
            client = FromAddress($"192.0.2.{attempt}");
            var failed = await Html.ParseAsync(await client.SubmitAsync("/compte/connexion", Credentials(user.Email, "Mauvais-Mot-2026")));
            Assert.Equal("Adresse e-mail ou mot de passe incorrect. Vérifiez-les et réessayez.", failed.Text("#resume-erreurs li"));
            // The e-mail typed is kept; the password is not.
            Assert.Equal(user.Email, failed.QuerySelector("#Input_Email")!.GetAttribute("value"));
        }

        client = FromAddress("192.0.2.5");
        var fifth = await Html.ParseAsync(await client.SubmitAsync("/compte/connexion", Credentials(user.Email, "Mauvais-Mot-2026")));
        Assert.StartsWith("Votre compte est verrouillé", fifth.Text("#resume-erreurs li"));

        var rightPassword = await client.SubmitAsync("/compte/connexion", Credentials(user.Email, user.Password));
        Assert.Equal(HttpStatusCode.OK, rightPassword.StatusCode);
        Assert.StartsWith("Votre compte est verrouillé", (await Html.ParseAsync(rightPassword)).Text("#resume-erreurs li"));

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var actions = await db.AuditEvents.Where(e => e.SubjectId == user.Id.ToString()).Select(e => e.Action).ToListAsync();
        Assert.Equal(4, actions.Count(a => a == AuditActions.SignInFailed));
        Assert.Contains(AuditActions.LockedOut, actions);
    }

    private HttpClient FromAddress(string address)
    {
        var client = portal.CreateAnonymousClient();
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return client;
    }

    [Fact]
    public async Task OneClient_IsHeldBackAfterThreeFailures_WithoutLockingTheAccountForEveryoneElse()
    {
        var user = await portal.CreateUserAsync(Roles.Consultant);
        var attacker = FromAddress("198.51.100.66");
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await attacker.SubmitAsync("/compte/connexion", Credentials(user.Email, "Mauvais-Mot-2026"));
        }

        var heldBack = await Html.ParseAsync(await attacker.SubmitAsync("/compte/connexion", Credentials(user.Email, user.Password)));
        Assert.StartsWith("Trop d'essais infructueux depuis cet appareil pour cette adresse", heldBack.Text("#resume-erreurs li"), StringComparison.Ordinal);

        // The owner, from their own device, signs in: three failures elsewhere did not lock the account.
        var owner = await FromAddress("198.51.100.67").SubmitAsync("/compte/connexion", Credentials(user.Email, user.Password));
        Assert.Equal(HttpStatusCode.Redirect, owner.StatusCode);
    }

    [Fact]
    public async Task ALockedAnsmAccount_IsToldByEmail_Once()
    {
        var reviewer = await portal.CreateUserAsync(Roles.Reviewer);
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            await FromAddress($"203.0.113.{attempt}").SubmitAsync("/compte/connexion", Credentials(reviewer.Email, "Mauvais-Mot-2026"));
        }

        var mail = await portal.WaitForMailAsync(m => m.To == reviewer.Email && m.Subject.StartsWith("Votre compte ANSM est verrouillé", StringComparison.Ordinal));
        Assert.Contains("/compte/mot-de-passe-oublie", mail.Body, StringComparison.Ordinal);
        await Task.Delay(500);
        Assert.Single(portal.SentMails(), m => m.To == reviewer.Email && m.Subject.StartsWith("Votre compte ANSM est verrouillé", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SignIn_WithMissingFields_NamesThem()
    {
        var page = await Html.ParseAsync(await portal.CreateAnonymousClient().SubmitAsync("/compte/connexion", Credentials("", "")));
        Assert.Equal(["Saisissez votre adresse e-mail.", "Saisissez votre mot de passe."], page.Texts("#resume-erreurs li"));
    }

    [Fact]
    public async Task ForgottenPassword_LinkByEmail_SetsANewPassword_AndEndsALockout()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = portal.CreateAnonymousClient();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            // From several clients, so that the account locks (and from this one, which is held back after three).
            await FromAddress($"192.0.2.{100 + attempt}").SubmitAsync("/compte/connexion", Credentials(user.Email, "Mauvais-Mot-2026"));
            await client.SubmitAsync("/compte/connexion", Credentials(user.Email, "Mauvais-Mot-2026"));
        }

        var sent = await Html.ParseAsync(await client.SubmitAsync("/compte/mot-de-passe-oublie", new Dictionary<string, string> { ["Input.Email"] = user.Email }));
        Assert.StartsWith("Si un compte existe avec cette adresse", sent.Text(".fr-alert--success"));
        var mail = await portal.WaitForMailAsync(m => m.To.Contains(user.Email, StringComparison.Ordinal));

        var resetPage = mail.Link("/compte/reinitialiser-mot-de-passe").PathAndQuery;
        var weak = await Html.ParseAsync(await client.SubmitAsync(resetPage, new Dictionary<string, string> { ["Input.Password"] = "faible", ["Input.ConfirmPassword"] = "faible" }));
        Assert.StartsWith("Le mot de passe est trop faible", weak.Text("#Input_Password-messages"));

        var done = await Html.ParseAsync(await client.SubmitAsync(resetPage, new Dictionary<string, string> { ["Input.Password"] = "Nouveau-Secret-2026", ["Input.ConfirmPassword"] = "Nouveau-Secret-2026" }));
        Assert.StartsWith("Votre mot de passe a été modifié", done.Text(".fr-alert--success"));

        var signedIn = await client.SubmitAsync("/compte/connexion", Credentials(user.Email, "Nouveau-Secret-2026"));
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }

    [Fact]
    public async Task ForgottenPassword_ForAnUnknownAddress_SaysTheSame_AndSendsNothing()
    {
        var page = await Html.ParseAsync(await portal.CreateAnonymousClient().SubmitAsync("/compte/mot-de-passe-oublie",
            new Dictionary<string, string> { ["Input.Email"] = "personne@nulle-part.example" }));
        Assert.StartsWith("Si un compte existe avec cette adresse", page.Text(".fr-alert--success"));
        // Account e-mails go through the outbox: nothing was written there for this address.
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().OutboxMessages.AnyAsync(m => m.Recipient == "personne@nulle-part.example"));
    }

    [Fact]
    public async Task SignOut_EndsTheSession()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var client = await portal.CreateClientForAsync(user);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/mandats")).StatusCode);

        var home = await Html.ParseAsync(await client.GetAsync("/"));
        await client.SubmitAsync(home, "/", new Dictionary<string, string>(), "form[action='/compte/deconnexion']");

        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/mandats")).StatusCode);
    }

    [Fact]
    public async Task SignOut_EndsTheSessionOnTheServer_ACopiedCookieOpensNothingAfterwards()
    {
        var user = await portal.CreateUserAsync(Roles.Manufacturer);
        var cookie = await portal.AuthenticationCookieForAsync(user);
        var browser = portal.CreateClientWithCookie(cookie);
        var copy = portal.CreateClientWithCookie(cookie);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/demandes")).StatusCode);

        var signedOut = await browser.SubmitAsync("/compte/deconnexion", new Dictionary<string, string>());
        Assert.Equal("/", signedOut.Headers.Location?.OriginalString);

        // The same cookie, replayed from elsewhere: sent to sign in.
        var replayed = await copy.GetAsync("/demandes");
        Assert.Equal(HttpStatusCode.Redirect, replayed.StatusCode);
        Assert.Equal("/compte/connexion", replayed.Headers.Location!.AbsolutePath);

        // Signing in again works as before.
        Assert.Equal(HttpStatusCode.OK, (await (await portal.CreateClientForAsync(user)).GetAsync("/demandes")).StatusCode);
    }
}

/// <summary>Its own portal: three account-form submissions a minute, so the fourth is refused.</summary>
public sealed class AccountRateLimitTests(AccountRateLimitTests.Factory portal) : IClassFixture<AccountRateLimitTests.Factory>
{
    public sealed class Factory : PortalFactory
    {
        protected override int AccountFormPostsPerMinute => 3;
    }

    [Fact]
    public async Task SignIn_BeyondTheLimit_IsRefusedWithAClearMessage_WhileReadingTheFormStaysOpen()
    {
        var client = portal.CreateAnonymousClient();
        var form = new Dictionary<string, string> { ["Input.Email"] = "quelqu.un@example.fr", ["Input.Password"] = "Essai-2026-Essai" };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/compte/connexion", form)).StatusCode);
        }

        var refused = await client.SubmitAsync("/compte/connexion", form);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Equal("Trop de tentatives", page.Text("h1"));
        Assert.StartsWith("Par sécurité, ce formulaire n'accepte qu'un nombre limité d'envois par minute.", page.Text("main .fr-text--lead"));

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/compte/connexion")).StatusCode);
        // Registration has its own budget: failed sign-ins do not stop someone from registering.
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/compte/inscription", new Dictionary<string, string>())).StatusCode);
    }

    [Fact]
    public async Task EachFormHasItsOwnBudget_TheIncidentFormCannotUseUpSignIns()
    {
        var client = portal.CreateAnonymousClient();
        // Forwarded by the proxy (loopback is a known proxy): this client's own address.
        client.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.7");
        var report = new Dictionary<string, string> { ["Input.DerogationReference"] = "DGL-2026-99999", ["Input.Description"] = "Essai." };
        for (var attempt = 0; attempt < 3; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/signalements/nouveau", report)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await client.SubmitAsync("/signalements/nouveau", report)).StatusCode);
        var signIn = new Dictionary<string, string> { ["Input.Email"] = "quelqu.un@example.fr", ["Input.Password"] = "Essai-2026-Essai" };
        Assert.Equal(HttpStatusCode.OK, (await client.SubmitAsync("/compte/connexion", signIn)).StatusCode);
    }

    [Fact]
    public async Task BehindTheProxy_EachClientHasItsOwnBudget()
    {
        var form = new Dictionary<string, string> { ["Input.Email"] = "quelqu.un@example.fr" };
        var first = portal.CreateAnonymousClient();
        first.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.10");
        for (var attempt = 0; attempt < 3; attempt++)
        {
            await first.SubmitAsync("/compte/mot-de-passe-oublie", form);
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, (await first.SubmitAsync("/compte/mot-de-passe-oublie", form)).StatusCode);
        var second = portal.CreateAnonymousClient();
        second.DefaultRequestHeaders.Add("X-Forwarded-For", "203.0.113.11");
        Assert.Equal(HttpStatusCode.OK, (await second.SubmitAsync("/compte/mot-de-passe-oublie", form)).StatusCode);
    }
}
