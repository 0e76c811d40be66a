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
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class ConnexionModel(
    SignInManager<PortalUser> signIn, UserManager<PortalUser> users, DerogationDbContext db, TimeProvider clock,
    IStringLocalizer<SharedResource> l) : PageModel
{
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
        var result = user is null
            ? Microsoft.AspNetCore.Identity.SignInResult.Failed
            : await signIn.PasswordSignInAsync(user, Input.Password, isPersistent: false, lockoutOnFailure: true);

        if (result.Succeeded)
        {
            db.Record(clock, AuditActions.SignedIn, user!.Id, "User", user.Id.ToString(), "password");
            await db.SaveChangesAsync();
            return LocalRedirect(SafeReturnUrl(ReturnUrl));
        }

        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Compte/DeuxFacteurs", new { retour = ReturnUrl });
        }

        if (result.IsLockedOut)
        {
            db.Record(clock, AuditActions.LockedOut, user!.Id, "User", user.Id.ToString());
            ModelState.AddModelError("", l["SignInLockedOut"]);
        }
        else if (result.IsNotAllowed)
        {
            ModelState.AddModelError("", l["SignInEmailNotConfirmed"]);
        }
        else
        {
            // The typed address is not recorded: it may not be anyone's, and it is personal data.
            db.Record(clock, AuditActions.SignInFailed, user?.Id, user is null ? null : "User", user?.Id.ToString());
            ModelState.AddModelError("", l["SignInFailed"]);
        }

        await db.SaveChangesAsync();
        return Page();
    }

    /// <summary>Only a local path: the return address must never send the user to another site.</summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } && returnUrl[0] == '/' && returnUrl[1] != '/' && returnUrl[1] != '\\' ? returnUrl : "/";
}
