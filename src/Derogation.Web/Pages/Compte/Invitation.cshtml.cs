using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Derogation.Web.Pages.Compte;

/// <summary>Accepting an invitation: the invited person chooses their name and password.</summary>
public sealed class InvitationModel(
    AccountService accounts, SignInManager<PortalUser> signIn, DerogationDbContext db, IOptions<IdentityOptions> identity,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Jeton { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Invitation? Open { get; private set; }

    public string OrganisationName { get; private set; } = "";

    public sealed class InputModel : IPasswordInput
    {
        public string FullName { get; set; } = "";
        public string Password { get; set; } = "";
        public string ConfirmPassword { get; set; } = "";
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        await LoadAsync();
        if (Open is null)
        {
            return Page();
        }

        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.FullName).NotEmpty().WithMessage(l["FullNameRequired"]).MaximumLength(200).WithMessage(l["TooLong", 200]);
        validator.AddPasswordRules(identity.Value.Password, l);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var result = await accounts.AcceptInvitationAsync(Jeton!, Input.FullName, Input.Password);
        if (!result.Succeeded)
        {
            ModelState.AddModelError("", result.Error == AccountError.EmailTaken ? l["InvitationEmailTaken"] : l["InvitationInvalid"]);
            return Page();
        }

        await signIn.SignInAsync(result.User!, isPersistent: false);
        // ANSM accounts set up their second factor before anything else.
        return Open.OrganisationId == AccountService.AnsmOrganisationId ? RedirectToPage("/Compte/DoubleAuthentification") : RedirectToPage("/Index");
    }

    private async Task LoadAsync()
    {
        Open = await accounts.FindOpenInvitationAsync(Jeton);
        if (Open is not null)
        {
            OrganisationName = await db.Organisations.Where(o => o.Id == Open.OrganisationId).Select(o => o.LegalName).SingleAsync();
        }
    }
}
