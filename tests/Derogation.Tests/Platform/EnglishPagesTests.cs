using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;

namespace Derogation.Tests.Platform;

/// <summary>
/// An English page says nothing in French that the portal wrote itself (people's own text stays as typed): each page
/// is scanned for words only the portal's French wording uses.
/// </summary>
public sealed class EnglishPagesTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    /// <summary>Words of the portal's French wording that no test answer contains.</summary>
    private static readonly string[] FrenchWording =
    [
        "Étape", "Télécharger", "Déposée", "déposée le", "Récapitulatif", "obligatoire", "au plus", "heure de Paris", "Vérification préalable",
        "Demande de dérogation", "Dérogation globale", "Dérogation individuelle", "Retour", "Accueil", "Mes demandes", "Historique",
        "établissements :", "suivi :", "En vigueur", "À venir", "Suspendue", "Retirée", "Expirée", "Urgence vitale", "Programmé",
        "Qualité du déposant", "Pièces", "Aucun fichier", "Version 1 déposée", "Relire la version",
    ];

    private static async Task<HttpClient> InEnglishAsync(HttpClient client)
    {
        await client.GetAsync("/langue/en?retour=%2F");
        return client;
    }

    private static async Task AssertNoFrenchWordingAsync(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.OK, $"{path}: {response.StatusCode}");
        var page = await Html.ParseAsync(response);
        Assert.Equal("en", page.DocumentElement.GetAttribute("lang"));
        var text = page.QuerySelector("body")!.TextContent;
        var found = FrenchWording.Where(word => text.Contains(word, StringComparison.Ordinal)).ToList();
        Assert.True(found.Count == 0, $"{path} in English shows the portal's French: {string.Join(", ", found)}");
    }

    [Fact]
    public async Task TheApplicantsAndReviewersPages_AndTheRegister_InEnglish_SayNothingInTheirFrenchWording()
    {
        var filer = await InEnglishAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var (reference, _) = await Filing.SubmitIndividualAsync(filer);
        var globalFiler = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (global, _) = await Filing.SubmitGlobalAsync(globalFiler);
        var (reviewer, _) = await portal.GrantAsync(global, new Dictionary<string, string>
        {
            ["Conditions.ValidUntil"] = $"{DateTime.Today.Year + 1}-12-31", ["Conditions.MaxPatients"] = "12000", ["Conditions.FollowUp"] = "Bilan annuel",
        });
        await InEnglishAsync(reviewer);
        var anonymous = await InEnglishAsync(portal.CreateAnonymousClient());

        foreach (var path in new[] { "/", "/demandes", $"/demandes/{reference}", $"/demandes/{reference}/version/1", "/demandes/individuelle/eligibilite", "/demandes/globale/nouvelle" })
        {
            await AssertNoFrenchWordingAsync(filer, path);
        }

        foreach (var path in new[] { "/instruction?onglet=All", $"/instruction/{global}" })
        {
            await AssertNoFrenchWordingAsync(reviewer, path);
        }

        await AssertNoFrenchWordingAsync(anonymous, $"/derogations-globales?recherche={global}");
    }

    [Theory]
    [InlineData("en", "Allemagne", "Germany")]
    [InlineData("fr", "Germany", "Allemagne")]
    [InlineData("en", " pays-bas ", "Netherlands")]
    [InlineData("en", "Groenland", "Groenland")]
    public void ACountryThePortalKnows_IsShownInThePagesLanguage_AnyOtherAsTyped(string language, string typed, string shown)
    {
        var before = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = new System.Globalization.CultureInfo(language);
        try
        {
            Assert.Equal(shown, Derogation.Web.Applications.CountryNames.Display(typed));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = before;
        }
    }
}
