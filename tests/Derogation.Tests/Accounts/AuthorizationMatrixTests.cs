using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Accounts;

/// <summary>
/// Every page, every kind of visitor, exactly the expected outcome: the page (200), the sign-in page (302 to
/// /compte/connexion), the two-factor set-up (302 to /compte/double-authentification), or nothing (404, the
/// same answer as an address that does not exist). Pages are added here as they are built.
/// </summary>
public sealed class AuthorizationMatrixTests(AuthorizationMatrixTests.Visitors visitors) : IClassFixture<AuthorizationMatrixTests.Visitors>
{
    public enum Visitor
    {
        Anonymous,
        ManufacturerAdministrator,
        ManufacturerMember,
        SecondManufacturer,
        ConsultantAdministrator,
        ConsultantMember,
        ConsultantWithoutMandate,
        Reviewer,
        SeniorReviewer,
        ReviewerWithoutSecondFactor,
        Signatory,
        Administrator,
        AdministratorWithoutSecondFactor,
        /// <summary>An ANSM user outside the review team, asked for opinions only.</summary>
        Expert,
    }

    public enum Outcome
    {
        Page,
        SignIn,
        SecondFactorSetup,
        NotFound,
    }

    /// <summary>One portal, one client per kind of visitor.</summary>
    public sealed class Visitors : PortalFactory
    {
        private readonly Dictionary<Visitor, HttpClient> _clients = [];

        public async Task<HttpClient> ClientAsync(Visitor visitor)
        {
            if (_clients.TryGetValue(visitor, out var client))
            {
                return client;
            }

            client = visitor switch
            {
                Visitor.Anonymous => CreateAnonymousClient(),
                Visitor.ManufacturerAdministrator or Visitor.SecondManufacturer => await CreateClientAsAsync(Roles.Manufacturer),
                Visitor.ManufacturerMember => await CreateClientAsAsync(Roles.Manufacturer, organisationAdministrator: false),
                Visitor.ConsultantAdministrator or Visitor.ConsultantWithoutMandate => await CreateClientAsAsync(Roles.Consultant),
                Visitor.ConsultantMember => await CreateClientAsAsync(Roles.Consultant, organisationAdministrator: false),
                Visitor.Reviewer => await CreateClientAsAsync(Roles.Reviewer),
                Visitor.SeniorReviewer => await CreateClientAsAsync(Roles.SeniorReviewer),
                Visitor.Signatory => await CreateClientAsAsync(Roles.Signatory),
                Visitor.Administrator => await CreateClientAsAsync(Roles.Administrator),
                Visitor.Expert => await CreateClientAsAsync(Roles.Expert),
                Visitor.AdministratorWithoutSecondFactor => await CreateClientForAsync(await CreateUserAsync(Roles.Administrator), secondFactor: false),
                Visitor.ReviewerWithoutSecondFactor => await CreateClientForAsync(await CreateUserAsync(Roles.Reviewer), secondFactor: false),
                _ => throw new ArgumentOutOfRangeException(nameof(visitor)),
            };
            _clients[visitor] = client;
            return client;
        }
    }

    private static readonly Visitor[] Everyone = Enum.GetValues<Visitor>();
    private static readonly Visitor[] Filers = [Visitor.ManufacturerAdministrator, Visitor.ManufacturerMember, Visitor.SecondManufacturer, Visitor.ConsultantAdministrator, Visitor.ConsultantMember, Visitor.ConsultantWithoutMandate];
    private static readonly Visitor[] FilerAdministrators = [Visitor.ManufacturerAdministrator, Visitor.SecondManufacturer, Visitor.ConsultantAdministrator, Visitor.ConsultantWithoutMandate];

    /// <summary>For each page, who gets it; everyone signed in who is not listed gets 404, anonymous visitors get the sign-in page.</summary>
    private static readonly (string Path, Visitor[] Allowed, bool Public)[] Pages =
    [
        ("/", Everyone, true),
        ("/accessibilite", Everyone, true),
        ("/compte/connexion", Everyone, true),
        ("/compte/inscription", Everyone, true),
        ("/compte/mot-de-passe-oublie", Everyone, true),
        ("/compte/double-authentification", Everyone[1..], false),
        ("/derogations-globales", Everyone, true),
        ("/signalements/nouveau", Everyone, true),
        ("/derogations-globales.csv", Everyone, true),
        ("/derogations-globales.json", Everyone, true),
        ("/verification/AAAA-BBBB-CCCC-DDDD", [], true),
        ("/lettre/jeton-inconnu", [], true),
        ("/organisation/membres", FilerAdministrators, false),
        ("/organisation/webhooks", FilerAdministrators, false),
        ("/mandats", Filers, false),
        ("/compte/jetons", Filers, false),
        ("/demandes", Filers, false),
        ("/demandes/individuelle/nouvelle", Filers, false),
        ("/demandes/globale/nouvelle", Filers, false),
        ("/demandes/globale/prolongation", Filers, false),
        ($"/demandes/{Guid.NewGuid()}", [], false),
        ("/demandes/DIV-2026-99999", [], false),
        ("/demandes/DIV-2026-99999/retrait", [], false),
        ("/demandes/DGL-2026-99999/utilisation", [], false),
        ("/mandats/lettre", [Visitor.ConsultantAdministrator, Visitor.ConsultantWithoutMandate], false),
        ("/demandes/DIV-2026-99999/reponse", [], false),
        ("/instruction", [Visitor.Reviewer, Visitor.SeniorReviewer, Visitor.Signatory, Visitor.Administrator], false),
        ("/instruction/signalements", [Visitor.Reviewer, Visitor.SeniorReviewer, Visitor.Signatory, Visitor.Administrator], false),
        ("/instruction/alertes", [Visitor.Reviewer, Visitor.SeniorReviewer], false),
        ("/instruction/notifications-ue", [Visitor.Reviewer, Visitor.SeniorReviewer, Visitor.Signatory, Visitor.Administrator], false),
        ($"/instruction/notifications-ue?handler=Package&id={Guid.NewGuid()}", [], false),
        ("/instruction/statistiques", [Visitor.Reviewer, Visitor.SeniorReviewer, Visitor.Signatory, Visitor.Administrator], false),
        ("/instruction/DIV-2026-99999/grille", [], false),
        ("/instruction/DIV-2026-99999/avis", [], false),
        ("/instruction/DIV-2026-99999/messages", [], false),
        ("/demandes/DIV-2026-99999/messages", [], false),
        ("/avis", [Visitor.Reviewer, Visitor.SeniorReviewer, Visitor.Signatory, Visitor.Expert], false),
        ("/avis/3f2504e0-4f89-11d3-9a0c-0305e82c3301", [], false),
        ("/instruction/DIV-2026-99999", [], false),
        ("/instruction/DIV-2026-99999/decision", [], false),
        ("/instruction/DIV-2026-99999/demande-information", [], false),
        ("/instruction/DIV-2026-99999/versions", [], false),
        ("/instruction/DIV-2026-99999/attribution", [], false),
        ("/instruction/DIV-2026-99999/mesure?type=Suspension", [], false),
        ("/instruction/signatures", [Visitor.Signatory], false),
        ("/instruction/DIV-2026-99999/signature", [], false),
        ($"/instruction/DIV-2026-99999/rectification?lettre={Guid.NewGuid()}", [], false),
        ("/admin", [Visitor.Administrator], false),
        ("/admin/comptes-ansm", [Visitor.Administrator], false),
        ("/admin/mandats", [Visitor.Administrator], false),
        ("/admin/organisations", [Visitor.Administrator], false),
        ("/admin/modeles", [Visitor.Administrator], false),
        ("/admin/journal-audit", [Visitor.Administrator], false),
        ($"/admin/journal-audit?handler=Token&id={Guid.NewGuid()}", [], false),
        ("/organisation/verification", FilerAdministrators, false),
        ($"/demandes/{Guid.NewGuid()}/prescripteur", [], false),
        ("/prescripteur/jeton-inconnu", [], true),
    ];

    public static TheoryData<string, Visitor, Outcome> Matrix()
    {
        var data = new TheoryData<string, Visitor, Outcome>();
        foreach (var (path, allowed, isPublic) in Pages)
        {
            foreach (var visitor in Everyone)
            {
                var outcome = allowed.Contains(visitor) ? Outcome.Page
                    : visitor == Visitor.Anonymous && !isPublic ? Outcome.SignIn
                    : visitor == Visitor.AdministratorWithoutSecondFactor && path.StartsWith("/admin", StringComparison.Ordinal) ? Outcome.SecondFactorSetup
                    : visitor is Visitor.AdministratorWithoutSecondFactor or Visitor.ReviewerWithoutSecondFactor
                      && path.StartsWith("/instruction", StringComparison.Ordinal) ? Outcome.SecondFactorSetup
                    // Opinions are asked of reviewers (and signatories, experts), not of administrators.
                    : visitor == Visitor.ReviewerWithoutSecondFactor && path.StartsWith("/avis", StringComparison.Ordinal) ? Outcome.SecondFactorSetup
                    : Outcome.NotFound;
                data.Add(path, visitor, outcome);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Page_GivesEachVisitorExactlyTheExpectedOutcome(string path, Visitor visitor, Outcome expected)
    {
        var response = await (await visitors.ClientAsync(visitor)).GetAsync(path);
        AssertOutcome(expected, response);
    }

    public static TheoryData<string, string, Visitor> ForbiddenPosts() => new()
    {
        // Only a manufacturer's administrator grants or revokes mandates.
        { "/mandats?handler=Grant", "Input.ConsultancyId=00000000-0000-0000-0000-000000000000", Visitor.ManufacturerMember },
        { "/mandats?handler=Grant", "Input.ConsultancyId=00000000-0000-0000-0000-000000000000", Visitor.ConsultantAdministrator },
        { $"/mandats?handler=Revoke&id={Guid.Empty}", "", Visitor.ManufacturerAdministrator },
        // Members are managed by their own organisation's administrator only.
        { $"/organisation/membres/{Guid.Empty}/retirer", "", Visitor.ManufacturerAdministrator },
        { "/organisation/membres?handler=Invite", "Input.Email=x@example.fr", Visitor.ManufacturerMember },
        // Administration handlers.
        { $"/admin/mandats?handler=Verify&id={Guid.Empty}", "", Visitor.ConsultantAdministrator },
        { $"/admin/mandats?handler=Verify&id={Guid.Empty}", "", Visitor.Reviewer },
        { "/admin/comptes-ansm", "Input.Email=x@example.fr&Input.Role=Administrator", Visitor.Signatory },
        { "/mandats/lettre", "Input.ManufacturerName=X", Visitor.ManufacturerAdministrator },
        // Only an ANSM administrator verifies an organisation; only an organisation's administrator gives its evidence.
        { $"/admin/organisations?handler=Verify&id={Guid.Empty}", "", Visitor.ManufacturerAdministrator },
        { $"/admin/organisations?handler=Verify&id={Guid.Empty}", "", Visitor.Reviewer },
        // Only an ANSM administrator changes the letters' wording (a reviewer or signatory included).
        { "/admin/modeles?handler=Save", "key=Refusal&text=Autre+texte", Visitor.Reviewer },
        { "/admin/modeles?handler=Save", "key=Refusal&text=Autre+texte", Visitor.Signatory },
        { "/organisation/verification", "", Visitor.ManufacturerMember },
        // Webhooks are an organisation administrator's; another organisation's endpoint is not found.
        { "/organisation/webhooks", "Address=https%3A%2F%2Fsir.example%2Fe", Visitor.ManufacturerMember },
        { $"/organisation/webhooks?handler=Disable&id={Guid.NewGuid()}", "", Visitor.ManufacturerAdministrator },
        // A token is revoked only by its own user (another's id: nothing to revoke).
        { $"/compte/jetons?handler=Revoke&id={Guid.NewGuid()}", "", Visitor.ManufacturerAdministrator },
        { "/compte/jetons", "Input.Name=x&Input.Scope=write&Input.ExpiresOn=2027-01-01", Visitor.Reviewer },
        // Only ANSM marks a notification to the Commission as sent.
        { $"/instruction/notifications-ue?handler=Sent&id={Guid.Empty}", "", Visitor.ManufacturerAdministrator },
        { $"/instruction/notifications-ue?handler=Sent&id={Guid.Empty}", "", Visitor.Expert },
        // Only an ANSM administrator verifies the audit chain on demand.
        { "/admin/journal-audit?handler=Verify", "", Visitor.Reviewer },
        { "/admin/journal-audit?handler=Verify", "", Visitor.ManufacturerAdministrator },
        // The prescriber's link is sent only for the organisation's own individual drafts.
        { $"/demandes/{Guid.Empty}/prescripteur", "Email=dr%40chu.example", Visitor.ConsultantAdministrator },
    };

    [Theory]
    [MemberData(nameof(ForbiddenPosts))]
    public async Task Handler_RefusesWhoMayNotUseIt_WithNotFound(string path, string body, Visitor visitor)
    {
        var client = await visitors.ClientAsync(visitor);
        // A real antiforgery token from a page this visitor may open, so that only authorization decides.
        var home = await Html.ParseAsync(await client.GetAsync("/"));
        var token = home.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value");
        var content = new StringContent($"{body}&__RequestVerificationToken={Uri.EscapeDataString(token!)}", System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        var response = await client.PostAsync(path, content);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task OrganisationEvidenceDownload_IsNotFoundForAReviewer()
    {
        var response = await (await visitors.ClientAsync(Visitor.Reviewer)).GetAsync($"/admin/organisations?handler=Evidence&id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task AdministratorLetterDownload_IsNotFoundForAConsultancy()
    {
        var response = await (await visitors.ClientAsync(Visitor.ConsultantAdministrator)).GetAsync($"/admin/mandats?handler=Letter&id={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static void AssertOutcome(Outcome expected, HttpResponseMessage response)
    {
        switch (expected)
        {
            case Outcome.Page:
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                break;
            case Outcome.SignIn:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal("/compte/connexion", response.Headers.Location!.AbsolutePath);
                break;
            case Outcome.SecondFactorSetup:
                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal("/compte/double-authentification", response.Headers.Location!.OriginalString.Split('?')[0]);
                break;
            case Outcome.NotFound:
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
                break;
        }
    }
}

public sealed class SecondFactorSessionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task SecondFactor_SurvivesIdentitysHalfHourlyRefreshOfTheSession()
    {
        // Identity re-reads the user from the database when a session is older than 30 minutes; the second factor
        // used at sign-in must still count afterwards, or ANSM staff would be bounced to the set-up page.
        var administrator = await portal.CreateUserAsync(Roles.Administrator);
        var cookies = new System.Net.CookieContainer();
        cookies.Add(new Uri("http://localhost"), new System.Net.Cookie("derogation.auth",
            await portal.AuthenticationCookieForAsync(administrator, secondFactor: true, issuedAt: DateTimeOffset.UtcNow.AddMinutes(-45))));
        var client = portal.CreateDefaultClient(new Uri("http://localhost"), new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(cookies));

        var first = await client.GetAsync("/admin");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Contains(first.Headers.GetValues("Set-Cookie"), c => c.StartsWith("derogation.auth=", StringComparison.Ordinal)); // renewed
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/comptes-ansm")).StatusCode);
    }
}
