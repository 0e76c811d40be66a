using System.Text;
using Derogation.Core.Accounts;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class MotDePasseOublieModel(UserManager<PortalUser> users, AccountEmails emails, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool Sent { get; private set; }

    public sealed class InputModel
    {
        public string Email { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.Email).NotEmpty().WithMessage(l["EmailRequired"]).EmailAddress().WithMessage(l["EmailInvalid"]);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is not null && user.EmailConfirmed)
        {
            var token = WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(await users.GeneratePasswordResetTokenAsync(user)));
            await emails.SendPasswordResetAsync(user.Email!, user.Id, token);
        }

        // The same answer whether or not the address has an account: the page must not reveal who is registered.
        Sent = true;
        return Page();
    }
}
