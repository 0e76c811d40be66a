using System.Text;
using Derogation.Core.Accounts;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Derogation.Web.Pages.Compte;

public sealed class ReinitialiserMotDePasseModel(
    UserManager<PortalUser> users, AccountAudit audit, IOptions<IdentityOptions> identity, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public Guid? Utilisateur { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public bool Done { get; private set; }

    public sealed class InputModel : IPasswordInput
    {
        public string Password { get; set; } = "";
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.AddPasswordRules(identity.Value.Password, l);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var user = Utilisateur is null ? null : await users.FindByIdAsync(Utilisateur.Value.ToString());
        string? token = null;
        try
        {
            token = Code is null ? null : Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(Code));
        }
        catch (FormatException)
        {
        }

        var result = user is null || token is null ? null : await users.ResetPasswordAsync(user, token, Input.Password);
        if (result?.Succeeded != true)
        {
            ModelState.AddModelError("", l["ResetLinkInvalid"]);
            return Page();
        }

        // A new password ends a lockout: the person has proved they hold the mailbox.
        await users.SetLockoutEndDateAsync(user!, null);
        await users.ResetAccessFailedCountAsync(user!);
        await audit.RecordAsync(AuditActions.PasswordReset, user!.Id);
        Done = true;
        return Page();
    }
}
