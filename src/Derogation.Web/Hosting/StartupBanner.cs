using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Derogation.Web.Hosting;

/// <summary>What a newcomer needs to see on the console once the portal listens: where to open it.</summary>
internal static class StartupBanner
{
    public static void Print(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        if (addresses.Count == 0)
        {
            return; // in-memory test server
        }

        var lines = new List<string> { "", "  Portail des dérogations — CE-marking derogation portal", "" };
        lines.AddRange(addresses.Select(address => $"  Ouvrir / open: {address}"));
        if (app.Services.GetService<Derogation.Core.Data.LocalPostgres>() is { } local)
        {
            lines.Add($"  Base de données locale / local database: {local.DataDirectory} (port {local.Port})");
        }

        if (app.Environment.IsDevelopment())
        {
            lines.Add("");
            lines.Add($"  Comptes de démonstration / demo accounts (mot de passe / password: {Derogation.Web.Accounts.DemoData.Password}):");
            lines.AddRange(Derogation.Web.Accounts.DemoData.Accounts.Select(a => $"    {a.Email,-24} {a.Description}"));
            if (app.Configuration.GetValue<bool>("Accounts:AllowAnsmWithoutTwoFactor"))
            {
                lines.Add("  (ANSM demo accounts may skip two-factor authentication: Accounts:AllowAnsmWithoutTwoFactor)");
            }

            var mail = app.Services.GetRequiredService<Derogation.Core.Notifications.MailOptions>().PickupDirectory;
            if (mail is not null)
            {
                lines.Add($"  E-mails (.eml): {mail}");
            }
        }

        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }
}
