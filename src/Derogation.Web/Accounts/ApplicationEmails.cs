using Derogation.Core.Notifications;

namespace Derogation.Web.Accounts;

/// <summary>
/// Messages about an application. They go to people whose language the portal may not know (the manufacturer's
/// users when a consultant filed), so they are written in French, then English.
/// </summary>
public sealed class ApplicationEmails(IMailSender mail, AccountEmails links)
{
    public async Task SendSubmittedAsync(HttpRequest request, IEnumerable<string> recipients, string reference, string device, string manufacturer, string filedBy)
    {
        var link = links.AbsoluteUrl(request, $"/demandes/{reference}");
        var subject = $"Demande {reference} déposée / Application {reference} submitted";
        var body =
            $"Bonjour,\n\nLa demande de dérogation {reference} ({device}) a été déposée auprès de l'ANSM par {filedBy} pour le fabricant {manufacturer}. " +
            $"Le récépissé de dépôt est disponible sur le portail :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
            $"Hello,\n\nThe derogation application {reference} ({device}) has been submitted to ANSM by {filedBy} for the manufacturer {manufacturer}. " +
            $"The deposit receipt is available on the portal:\n\n{link}\n\nANSM — CE-marking derogation portal";
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            await mail.SendAsync(new MailMessageToSend(recipient, subject, body));
        }
    }
}
