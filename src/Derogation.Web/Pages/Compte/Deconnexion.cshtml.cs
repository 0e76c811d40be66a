using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages.Compte;

public sealed class DeconnexionModel(SignInManager<PortalUser> signIn, DerogationDbContext db, TimeProvider clock) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (User.Identity?.IsAuthenticated == true)
        {
            db.Record(clock, AuditActions.SignedOut, User.UserId(), "User", User.UserId().ToString());
            await db.SaveChangesAsync();
        }

        await signIn.SignOutAsync();
        return Redirect("/");
    }
}
