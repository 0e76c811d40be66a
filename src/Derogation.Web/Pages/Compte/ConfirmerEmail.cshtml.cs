using System.Text;
using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;

namespace Derogation.Web.Pages.Compte;

public sealed class ConfirmerEmailModel(UserManager<PortalUser> users, AccountAudit audit) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task OnGetAsync(Guid? utilisateur, string? code)
    {
        var user = utilisateur is null ? null : await users.FindByIdAsync(utilisateur.Value.ToString());
        if (user is null || string.IsNullOrEmpty(code))
        {
            return;
        }

        string token;
        try
        {
            token = Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return;
        }

        Confirmed = (await users.ConfirmEmailAsync(user, token)).Succeeded;
        if (Confirmed)
        {
            await audit.RecordAsync(AuditActions.EmailConfirmed, user.Id);
        }
    }
}
