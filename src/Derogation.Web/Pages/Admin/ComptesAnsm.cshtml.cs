using Derogation.Core.Accounts;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Admin;

/// <summary>ANSM accounts exist only by an administrator's invitation; each must then set up two-factor authentication.</summary>
public sealed class ComptesAnsmModel(AccountService accounts, UserManager<PortalUser> users, AccountEmails emails, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public List<(PortalUser User, IList<string> Roles)> Staff { get; private set; } = [];

    public IEnumerable<(string, string)> AnsmRoles =>
        [(Roles.Reviewer, l["RoleReviewer"]), (Roles.SeniorReviewer, l["RoleSeniorReviewer"]), (Roles.Signatory, l["RoleSignatory"]), (Roles.Administrator, l["RoleAdministrator"]), (Roles.Expert, l["RoleExpert"])];

    [TempData]
    public string? Confirmation { get; set; }

    public sealed class InputModel
    {
        public string Email { get; set; } = "";
        public string? Role { get; set; }
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.Email).Cascade(FluentValidation.CascadeMode.Stop).NotEmpty().WithMessage(l["EmailRequired"]).Must(Derogation.Core.Applications.FieldKinds.IsEmail).WithMessage(l["EmailInvalid"]);
        validator.RuleFor(i => i.Role).Must(r => r is Roles.Reviewer or Roles.SeniorReviewer or Roles.Signatory or Roles.Administrator or Roles.Expert).WithMessage(l["AnsmRoleRequired"]);
        if (validator.Validate(Input).AddTo(this) && await users.FindByEmailAsync(Input.Email.Trim()) is not null)
        {
            ModelState.AddModelError("Input.Email", l["InviteEmailHasAccount"]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        var token = await accounts.InviteAsync(AccountService.AnsmOrganisationId, Input.Email.Trim(), Input.Role!, User.UserId());
        await emails.SendInvitationAsync(Input.Email.Trim(), "ANSM", token);
        Confirmation = l["InviteSent"];
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        foreach (var member in await accounts.MembersAsync(AccountService.AnsmOrganisationId))
        {
            Staff.Add((member, await users.GetRolesAsync(member)));
        }
    }
}
