using Derogation.Core.Notifications;
using Derogation.Web.Localization;

namespace Derogation.Web.Accounts;

/// <summary>
/// The account e-mails, in the language the user was using. Links are absolute, built from Portal:BaseUrl
/// (required outside Development and tests, so that no request's Host header can redirect a reset link).
/// </summary>
public sealed class AccountEmails(IMailSender mail, IConfiguration configuration, IWebHostEnvironment environment)
{
    public string AbsoluteUrl(HttpRequest request, string pathAndQuery)
    {
        var baseUrl = configuration["Portal:BaseUrl"];
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            if (!environment.IsDevelopment() && !environment.IsEnvironment("Test"))
            {
                throw new InvalidOperationException("Portal:BaseUrl must be configured (e.g. https://derogations.ansm.sante.fr).");
            }

            baseUrl = $"{request.Scheme}://{request.Host}";
        }

        return baseUrl.TrimEnd('/') + pathAndQuery;
    }

    public Task SendEmailConfirmationAsync(string to, string link) => Send(to,
        french: ("Confirmez votre adresse e-mail — Dérogations au marquage CE",
            $"Bonjour,\n\nPour activer votre compte sur le portail des dérogations au marquage CE de l'ANSM, confirmez votre adresse en ouvrant ce lien :\n\n{link}\n\nSi vous n'avez pas créé de compte, ignorez ce message.\n\nANSM — Agence nationale de sécurité du médicament et des produits de santé"),
        english: ("Confirm your e-mail address — CE-marking derogations",
            $"Hello,\n\nTo activate your account on ANSM's CE-marking derogation portal, confirm your address by opening this link:\n\n{link}\n\nIf you did not create an account, ignore this message.\n\nANSM — French National Agency for Medicines and Health Products Safety"));

    public Task SendPasswordResetAsync(string to, string link) => Send(to,
        french: ("Réinitialisation de votre mot de passe — Dérogations au marquage CE",
            $"Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une seule fois) :\n\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n\nANSM"),
        english: ("Reset your password — CE-marking derogations",
            $"Hello,\n\nTo choose a new password, open this link (it works once):\n\n{link}\n\nIf you did not ask for this, ignore this message: your password is unchanged.\n\nANSM"));

    public Task SendInvitationAsync(string to, string organisationName, string link) => Send(to,
        french: ($"Invitation à rejoindre {organisationName} — Dérogations au marquage CE",
            $"Bonjour,\n\nVous êtes invité(e) à rejoindre {organisationName} sur le portail des dérogations au marquage CE de l'ANSM. Pour créer votre compte, ouvrez ce lien (valable 7 jours) :\n\n{link}\n\nANSM"),
        english: ($"Invitation to join {organisationName} — CE-marking derogations",
            $"Hello,\n\nYou are invited to join {organisationName} on ANSM's CE-marking derogation portal. To create your account, open this link (valid for 7 days):\n\n{link}\n\nANSM"));

    private Task Send(string to, (string Subject, string Body) french, (string Subject, string Body) english)
    {
        var (subject, body) = PortalCultures.CurrentLanguage == PortalCultures.English ? english : french;
        return mail.SendAsync(new MailMessageToSend(to, subject, body));
    }
}
