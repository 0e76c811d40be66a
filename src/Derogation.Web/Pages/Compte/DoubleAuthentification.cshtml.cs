using System.Security.Claims;
using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

/// <summary>
/// Setting up the authenticator app (TOTP): the key to enter, a code to prove it works, then recovery codes,
/// shown once. ANSM accounts are sent here until they have done it.
/// </summary>
public sealed class DoubleAuthentificationModel(
    UserManager<PortalUser> users, SignInManager<PortalUser> signIn, AccountAudit audit, IStringLocalizer<SharedResource> l) : PageModel
{
    public const string Issuer = "ANSM Dérogations";

    [BindProperty]
    public string? Code { get; set; }

    [BindProperty(SupportsGet = true, Name = "retour")]
    public string? ReturnUrl { get; set; }

    public bool AlreadyEnabled { get; private set; }

    public string SharedKey { get; private set; } = "";

    public string AuthenticatorUri { get; private set; } = "";

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        AlreadyEnabled = user.TwoFactorEnabled;
        if (!AlreadyEnabled)
        {
            await LoadKeyAsync(user);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var code = (Code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        if (code.Length == 0 || !await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code))
        {
            ModelState.AddModelError(nameof(Code), code.Length == 0 ? l["TwoFactorCodeRequired"] : l["TwoFactorCodeInvalid"]);
            await LoadKeyAsync(user);
            return Page();
        }

        await users.SetTwoFactorEnabledAsync(user, true);
        RecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(user, 10))!.ToList();
        await audit.RecordAsync(AuditActions.TwoFactorEnabled, user.Id);
        // The code just given is a second factor: this session now counts as signed in with it.
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim(PortalClaims.AuthenticationMethod, "mfa")]);
        return Page();
    }

    private async Task LoadKeyAsync(PortalUser user)
    {
        var key = await users.GetAuthenticatorKeyAsync(user);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(user);
            key = await users.GetAuthenticatorKeyAsync(user);
            // A new key changes the account's security stamp: this session is issued again with it (second factor kept).
            await signIn.RefreshSignInAsync(user);
        }

        SharedKey = string.Join(" ", key!.ToLowerInvariant().Chunk(4).Select(c => new string(c)));
        AuthenticatorUri = $"otpauth://totp/{Uri.EscapeDataString(Issuer)}:{Uri.EscapeDataString(user.Email!)}?secret={key}&issuer={Uri.EscapeDataString(Issuer)}&digits=6";
    }
}
