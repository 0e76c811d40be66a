using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

/// <summary>
/// Sign-in. Failures are counted per address and client: after <see cref="FailuresPerClient"/> from one client, that
/// client is held back for a while without the password being tried, so one client alone cannot lock an account
/// (Identity locks it after 5 failures); an ANSM account that is locked is told at once by e-mail, so that lockout
/// cannot quietly shut a reviewer out.
/// </summary>
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class ConnexionModel(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, AccountAudit audit, AccountEmails emails,
    IMemoryCache failures, IStringLocalizer<SharedResource> l) : PageModel
{
    public const int FailuresPerClient = 3;

    public static readonly TimeSpan HeldBackFor = TimeSpan.FromMinutes(10);

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true, Name = "retour")]
    public string? ReturnUrl { get; set; }

    public sealed class InputModel
    {
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.Email).NotEmpty().WithMessage(l["EmailRequired"]).EmailAddress().WithMessage(l["EmailInvalid"]);
        validator.RuleFor(i => i.Password).NotEmpty().WithMessage(l["PasswordRequired"]);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        // Keyed by the address as typed, the client (the real one behind a known proxy) and the account's stamp — a new
        // password starts afresh; kept in memory only.
        var failureKey = $"sign-in-failures:{Input.Email.Trim().ToUpperInvariant()}|{HttpContext.Connection.RemoteIpAddress}|{user?.SecurityStamp}";
        if (failures.TryGetValue(failureKey, out int failed) && failed >= FailuresPerClient)
        {
            ModelState.AddModelError("", l["SignInHeldBack", (int)HeldBackFor.TotalMinutes]);
            return Page();
        }

        var wasLocked = user is not null && await users.IsLockedOutAsync(user);
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            failures.Set(failureKey, failed + 1, HeldBackFor);
        }

        if (result.Succeeded)
        {
            failures.Remove(failureKey);
            await audit.RecordAsync(AuditActions.SignedIn, user!.Id, "password");
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Compte/DeuxFacteurs", new { retour = ReturnUrl });
        }

        if (result.IsLockedOut)
        {
            await audit.RecordAsync(AuditActions.LockedOut, user!.Id);
            ModelState.AddModelError("", l["SignInLockedOut"]);
            if (!wasLocked && user.OrganisationId == AccountService.AnsmOrganisationId && user.Email is not null)
            {
                await emails.SendLockedOutAsync(user.Email);
            }
        }
        else if (result.IsNotAllowed)
        {
            ModelState.AddModelError("", l["SignInEmailNotConfirmed"]);
        }
        else
        {
            // The typed address is not recorded: it may not be anyone's, and it is personal data.
            await audit.RecordAsync(AuditActions.SignInFailed, user?.Id);
            ModelState.AddModelError("", l["SignInFailed"]);
        }

        return Page();
    }

    /// <summary>Only a local path: the return address must never send the user to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] != '/' && returnUrl[1] != '\\' ? returnUrl : "/";
}
