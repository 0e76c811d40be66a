using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

/// <summary>The second step of signing in: a code from the authenticator app, or a recovery code.</summary>
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class DeuxFacteursModel(SignInManager<PortalUser> signIn, AccountAudit audit, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "retour")]
    public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        public string? Code { get; set; }
        public string? RecoveryCode { get; set; }
    }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Compte/Connexion") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (user is null)
        {
            return RedirectToPage("/Compte/Connexion");
        }

        var code = (Input.Code ?? "").Replace(" ", "", StringComparison.Ordinal);
        var recovery = (Input.RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0 && recovery.Length == 0)
        {
            ModelState.AddModelError("Input.Code", l["TwoFactorCodeRequired"]);
            return Page();
        }

        var result = recovery.Length > 0
            ? await signIn.TwoFactorRecoveryCodeSignInAsync(recovery)
            : await signIn.TwoFactorAuthenticatorSignInAsync(code, isPersistent: false, rememberClient: false);
        if (result.Succeeded)
        {
            await audit.RecordAsync(AuditActions.SignedIn, user.Id, recovery.Length > 0 ? "password+recovery-code" : "password+totp");
            return LocalRedirect(ConnexionModel.SafeReturnUrl(ReturnUrl));
        }

        await audit.RecordAsync(result.IsLockedOut ? AuditActions.LockedOut : AuditActions.SignInFailed, user.Id, "second factor");
        ModelState.AddModelError(recovery.Length > 0 ? "Input.RecoveryCode" : "Input.Code",
            result.IsLockedOut ? l["SignInLockedOut"] : l["TwoFactorCodeInvalid"]);
        return Page();
    }
}
