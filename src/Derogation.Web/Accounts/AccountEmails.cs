using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Web.Localization;
using Derogation.Web.Navigation;

namespace Derogation.Web.Accounts;

/// <summary>
/// The account e-mails, in the language the user was using, written to the outbox and sent by its worker: the page
/// answers in the same time whether a message goes out or not, so timing reveals no account (and a slow mail server
/// slows nobody). Links are absolute, generated from the pages' routes and the portal's public address
/// (<see cref="PortalAddress"/>).
/// </summary>
public sealed class AccountEmails(DerogationDbContext db, OutboxSignal outbox, TimeProvider clock, PortalLinks links)
{
    public Task SendEmailConfirmationAsync(string to, Guid userId, string code)
    {
        var link = links.EmailConfirmation(userId, code);
        return Send(to,
            french: ("Confirmez votre adresse e-mail — Dérogations au marquage CE",
                $"Bonjour,\n\nPour activer votre compte sur le portail des dérogations au marquage CE de l'ANSM, confirmez votre adresse en ouvrant ce lien :\n\n{link}\n\nSi vous n'avez pas créé de compte, ignorez ce message.\n\nANSM — Agence nationale de sécurité du médicament et des produits de santé"),
            english: ("Confirm your e-mail address — CE-marking derogations",
                $"Hello,\n\nTo activate your account on ANSM's CE-marking derogation portal, confirm your address by opening this link:\n\n{link}\n\nIf you did not create an account, ignore this message.\n\nANSM — French National Agency for Medicines and Health Products Safety"));
    }

    public Task SendPasswordResetAsync(string to, Guid userId, string code)
    {
        var link = links.PasswordReset(userId, code);
        return Send(to,
            french: ("Réinitialisation de votre mot de passe — Dérogations au marquage CE",
                $"Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable une seule fois) :\n\n{link}\n\nSi vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n\nANSM"),
            english: ("Reset your password — CE-marking derogations",
                $"Hello,\n\nTo choose a new password, open this link (it works once):\n\n{link}\n\nIf you did not ask for this, ignore this message: your password is unchanged.\n\nANSM"));
    }

    public Task SendInvitationAsync(string to, string organisationName, string token)
    {
        var link = links.Invitation(token);
        return Send(to,
            french: ($"Invitation à rejoindre {organisationName} — Dérogations au marquage CE",
                $"Bonjour,\n\nVous êtes invité(e) à rejoindre {organisationName} sur le portail des dérogations au marquage CE de l'ANSM. Pour créer votre compte, ouvrez ce lien (valable 7 jours) :\n\n{link}\n\nANSM"),
            english: ($"Invitation to join {organisationName} — CE-marking derogations",
                $"Hello,\n\nYou are invited to join {organisationName} on ANSM's CE-marking derogation portal. To create your account, open this link (valid for 7 days):\n\n{link}\n\nANSM"));
    }

    /// <summary>Someone tried to register with an address that already has an account: its owner is told, nobody else.</summary>
    public Task SendAlreadyRegisteredAsync(string to)
    {
        var (signInLink, resetLink) = (links.SignIn(), links.ForgottenPassword());
        return Send(to,
            french: ("Tentative d'inscription avec votre adresse — Dérogations au marquage CE",
                $"Bonjour,\n\nQuelqu'un vient de demander à créer un compte sur le portail des dérogations au marquage CE avec votre adresse, qui a déjà un compte. Aucun compte n'a été créé.\n\n" +
                $"Si c'était vous, connectez-vous :\n\n{signInLink}\n\nou, si vous avez oublié votre mot de passe :\n\n{resetLink}\n\nSinon, ignorez ce message.\n\nANSM"),
            english: ("Registration attempt with your address — CE-marking derogations",
                $"Hello,\n\nSomeone has just asked to create an account on ANSM's CE-marking derogation portal with your address, which already has an account. No account was created.\n\n" +
                $"If it was you, sign in:\n\n{signInLink}\n\nor, if you have forgotten your password:\n\n{resetLink}\n\nOtherwise, ignore this message.\n\nANSM"));
    }

    /// <summary>An ANSM account was locked after failed sign-ins: its owner learns it at once, and how to get back in.</summary>
    public Task SendLockedOutAsync(string to)
    {
        var resetLink = links.ForgottenPassword();
        return Send(to,
            french: ("Votre compte ANSM est verrouillé — Dérogations au marquage CE",
                $"Bonjour,\n\nVotre compte sur le portail des dérogations au marquage CE a été verrouillé pour 15 minutes après plusieurs mots de passe erronés. " +
                $"Si ce n'était pas vous, quelqu'un essaie peut-être d'y accéder : prévenez votre administrateur. Vous pouvez aussi choisir un nouveau mot de passe, ce qui lève le verrouillage :\n\n{resetLink}\n\nANSM"),
            english: ("Your ANSM account is locked — CE-marking derogations",
                $"Hello,\n\nYour account on the CE-marking derogation portal has been locked for 15 minutes after several wrong passwords. " +
                $"If it was not you, someone may be trying to get in: tell your administrator. You can also choose a new password, which lifts the lock:\n\n{resetLink}\n\nANSM"));
    }

    private async Task Send(string to, (string Subject, string Body) french, (string Subject, string Body) english)
    {
        var (subject, body) = PortalCultures.CurrentLanguage == PortalCultures.English ? english : french;
        db.Enqueue(clock, to, subject, body, "AccountEmail");
        await db.SaveChangesAsync();
        outbox.Wake();
    }
}
