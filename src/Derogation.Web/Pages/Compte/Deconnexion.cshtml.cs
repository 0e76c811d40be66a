using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages.Compte;

/// <summary>
/// Signing out ends the session on the server too: the account's security stamp changes, so a copy of the cookie
/// (a shared computer, a stolen token) opens nothing afterwards, on any instance (<see cref="AccountPresence"/>).
/// </summary>
public sealed class DeconnexionModel(SignInManager<PortalUser> signIn, UserManager<PortalUser> users, AccountPresence presence, AccountAudit audit) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            await audit.RecordAsync(AuditActions.SignedOut, User.UserId());
            if (await users.GetUserAsync(User) is { } user)
            {
                await users.UpdateSecurityStampAsync(user);
                presence.Forget(user.Id);
            }
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Index");
    }
}
