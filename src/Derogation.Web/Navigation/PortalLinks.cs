using Derogation.Core.Navigation;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Derogation.Web.Navigation;

/// <summary>
/// The portal's public address: Portal:BaseUrl (required outside Development and the tests, so that no request's Host
/// header can redirect a link sent by e-mail); otherwise the current request's, or the address the server listens on
/// (background work has no request).
/// </summary>
public sealed class PortalAddress
{
    private readonly string? _configured;
    private readonly IHttpContextAccessor? _http;
    private readonly IServer? _server;
    private readonly bool _mayGuess;

    public PortalAddress(IConfiguration configuration, IWebHostEnvironment environment, IHttpContextAccessor http, IServer server)
    {
        _configured = configuration["Portal:BaseUrl"];
        _mayGuess = environment.IsDevelopment() || environment.IsEnvironment("Test");
        _http = http;
        _server = server;
    }

    private PortalAddress(string configured) => _configured = configured;

    /// <summary>A fixed address (a test that builds links outside any request).</summary>
    public static PortalAddress Of(string baseUrl) => new(baseUrl);

    /// <summary>Scheme, host and port, without a trailing slash.</summary>
    public string Base()
    {
        if (!string.IsNullOrWhiteSpace(_configured))
        {
            return _configured.TrimEnd('/');
        }

        if (!_mayGuess)
        {
            throw new InvalidOperationException("Portal:BaseUrl must be configured (e.g. https://derogations.ansm.sante.fr).");
        }

        if (_http?.HttpContext?.Request is { } request)
        {
            return $"{request.Scheme}://{request.Host}";
        }

        return _server?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()?.TrimEnd('/') ?? "http://localhost";
    }
}

/// <summary>
/// Absolute links to the portal's pages, generated from the pages' own routes (a page that moves moves its links):
/// what Core's e-mails and letters point to (<see cref="IPortalLinks"/>) and the account e-mails.
/// </summary>
public sealed class PortalLinks(LinkGenerator routes, PortalAddress address) : IPortalLinks
{
    public string Applications() => Page("/Demandes/Index");

    public string Application(string reference, string? section = null) => Page("/Demandes/Demande", new { key = reference }, section);

    public string DraftDocuments(Guid draftId) => Page("/Demandes/Etapes/Documents", new { id = draftId });

    public string AnnualRecap(string reference) => Page("/Demandes/BilanAnnuel", new { reference });

    public string ExtensionRequest(string reference) => Page("/Demandes/Prolongation", new { reference });

    public string CaseFile(string reference, string? section = null) => Page("/Instruction/Dossier", new { reference }, section);

    public string Signature(string reference) => Page("/Instruction/Signature", new { reference });

    public string ExpertOpinion(Guid id) => Page("/Avis/Avis", new { id });

    public string Messages(string reference, bool forAnsm) =>
        forAnsm ? Page("/Instruction/Messages", new { reference }) : Page("/Demandes/Messages", new { reference });

    public string Verification(string code) => Page("/Verification", new { code });

    public string PrescriberPart(string token) => Page("/Prescripteur/Lien", new { token });

    public string SingleUseLetter(string token) => Page("/LettreUnique", new { token });

    public string Invitation(string token) => Page("/Compte/Invitation", new { jeton = token });

    public string SignIn() => Page("/Compte/Connexion");

    public string ForgottenPassword() => Page("/Compte/MotDePasseOublie");

    public string EmailConfirmation(Guid userId, string code) => Page("/Compte/ConfirmerEmail", new { utilisateur = userId, code });

    public string PasswordReset(Guid userId, string code) => Page("/Compte/ReinitialiserMotDePasse", new { utilisateur = userId, code });

    private string Page(string page, object? values = null, string? section = null) =>
        address.Base()
        + (routes.GetPathByPage(page, handler: null, values, fragment: section is null ? default : new FragmentString("#" + section))
           ?? throw new InvalidOperationException($"No route to the page {page}."));
}
