using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Platform;

/// <summary>The page shell every page shares: language, navigation by role, error pages.</summary>
public sealed class ShellTests(ShellTests.Factory portal) : IClassFixture<ShellTests.Factory>
{
    /// <summary>The portal plus one address that fails, to show the 500 page.</summary>
    public sealed class Factory : PortalFactory
    {
        protected override void ConfigureTestServices(IServiceCollection services) =>
            services.AddSingleton<IStartupFilter, FailingAddress>();

        private sealed class FailingAddress : IStartupFilter
        {
            public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
            {
                next(app);
                app.Use((HttpContext context, RequestDelegate following) => context.Request.Path == "/test/panne"
                    ? throw new InvalidOperationException("Simulated failure with secret detail jean.dupont@example.fr")
                    : following(context));
            };
        }
    }

    [Fact]
    public async Task Home_IsInFrenchByDefault_WithTheShell()
    {
        var document = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync("/"));

        Assert.Equal("fr", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Demander une dérogation au marquage CE", document.Text("h1"));
        Assert.Equal("Dérogations au marquage CE", document.Text(".fr-header__service-title"));
        Assert.Equal(["#contenu", "#navigation-principale", "#pied-de-page"],
            document.QuerySelectorAll(".fr-skiplinks a").Select(a => a.GetAttribute("href")));
        Assert.NotNull(document.QuerySelector("main#contenu"));
        Assert.NotNull(document.QuerySelector("footer#pied-de-page"));
        // What a derogation is, the two kinds, who may file, and the notice.
        Assert.Contains("Dérogation individuelle", document.Texts("h3"));
        Assert.Contains("Dérogation globale", document.Texts("h3"));
        Assert.Contains("Qui peut déposer une demande\u00a0?", document.Texts("h2"));
        // The current notice to applicants (07/05/2026), not the 2020 guide; and which of its rules the portal enforces.
        Assert.Contains("07/05/2026", document.QuerySelector("#avis-aux-demandeurs")!.TextContent);
        Assert.Null(document.QuerySelector("a[href*='2020']"));
        Assert.Equal(4, document.QuerySelectorAll("#regles-appliquees li").Length);
    }

    [Fact]
    public async Task LanguageSwitch_ToEnglish_ReturnsToTheSamePageInEnglish()
    {
        var client = portal.CreateAnonymousClient();
        var switched = await client.GetAsync("/langue/en?retour=%2Faccessibilite");
        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/accessibilite", switched.Headers.Location!.OriginalString);
        var cookie = switched.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));

        var request = new HttpRequestMessage(HttpMethod.Get, "/accessibilite");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var document = await Html.ParseAsync(await client.SendAsync(request));

        Assert.Equal("en", document.DocumentElement.GetAttribute("lang"));
        Assert.Equal("Accessibility", document.Text("h1"));
        Assert.Equal("CE-marking derogations", document.Text(".fr-header__service-title"));
    }

    [Theory]
    [InlineData("//evil.example/")]
    [InlineData("https://evil.example/")]
    [InlineData("/\\evil.example")]
    public async Task LanguageSwitch_NeverRedirectsOffSite(string target)
    {
        var response = await portal.CreateAnonymousClient().GetAsync($"/langue/en?retour={Uri.EscapeDataString(target)}");
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData(null, new[] { "Accueil", "Dérogations globales accordées", "Signaler un incident" })]
    [InlineData(Roles.Manufacturer, new[] { "Accueil", "Mes demandes", "Nouvelle demande individuelle", "Nouvelle demande globale", "Mandats", "Membres", "Vérification", "Dérogations globales accordées", "Signaler un incident" })]
    [InlineData(Roles.Consultant, new[] { "Accueil", "Mes demandes", "Nouvelle demande individuelle", "Nouvelle demande globale", "Mandats", "Membres", "Vérification", "Dérogations globales accordées", "Signaler un incident" })]
    [InlineData(Roles.Reviewer, new[] { "Accueil", "Instruction", "Avis demandés", "Dérogations globales accordées" })]
    [InlineData(Roles.Signatory, new[] { "Accueil", "Instruction", "À signer", "Avis demandés", "Dérogations globales accordées" })]
    [InlineData(Roles.Expert, new[] { "Accueil", "Avis demandés", "Dérogations globales accordées" })]
    [InlineData(Roles.Administrator, new[] { "Accueil", "Administration", "Dérogations globales accordées" })]
    public async Task MainNavigation_ShowsWhatTheRoleWorksWith(string? role, string[] expected)
    {
        var client = role is null ? portal.CreateAnonymousClient() : await portal.CreateClientAsAsync(role);
        var document = await Html.ParseAsync(await client.GetAsync("/"));

        Assert.Equal(expected, document.Texts("#navigation-principale .fr-nav__link"));
        var signedInTools = document.QuerySelector("form[action='/compte/deconnexion']");
        if (role is null)
        {
            Assert.Null(signedInTools);
            Assert.Equal("Se connecter", document.Text("a[href='/compte/connexion']"));
        }
        else
        {
            // The sign-out form carries an antiforgery token like every form of the portal.
            Assert.NotNull(signedInTools!.QuerySelector("input[name='__RequestVerificationToken']"));
        }
    }

    [Fact]
    public async Task UnknownAddress_Shows404InTheShell()
    {
        var response = await portal.CreateAnonymousClient().GetAsync("/demandes/DIV-2026-99999/inexistante");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var document = await Html.ParseAsync(response);
        Assert.Equal("Page non trouvée", document.Text("h1"));
        Assert.NotNull(document.QuerySelector("header.fr-header"));
        Assert.NotNull(document.QuerySelector("footer.fr-footer"));
    }

    [Fact]
    public async Task ServerError_Shows500InTheShell_WithTheIncidentReferenceAndNoDetail()
    {
        var response = await portal.CreateAnonymousClient().GetAsync("/test/panne");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        var document = await Html.ParseAsync(response);

        Assert.Equal("Erreur inattendue", document.Text("h1"));
        var correlationId = response.Headers.GetValues("X-Correlation-ID").Single();
        Assert.Equal($"Référence de l'incident : {correlationId}", document.Text("#reference-incident"));
        Assert.DoesNotContain("Simulated failure", body);
        Assert.DoesNotContain("jean.dupont", body);
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRefused()
    {
        var response = await (await portal.CreateClientAsAsync(Roles.Manufacturer)).PostAsync("/", new FormUrlEncodedContent([new("x", "y")]));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
