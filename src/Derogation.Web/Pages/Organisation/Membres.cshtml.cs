using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Organisation;

/// <summary>The organisation's administrator invites and removes members (policy: OrganisationAdministrator).</summary>
public sealed class MembresModel(
    AccountService accounts, UserManager<PortalUser> users, DerogationDbContext db, AccountEmails emails, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public List<PortalUser> Members { get; private set; } = [];

    public List<Invitation> Invitations { get; private set; } = [];

    public string OrganisationName { get; private set; } = "";

    [TempData]
    public string? Confirmation { get; set; }

    public sealed class InputModel
    {
        public string Email { get; set; } = "";
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.Email).Cascade(FluentValidation.CascadeMode.Stop).NotEmpty().WithMessage(l["EmailRequired"]).Must(Derogation.Core.Applications.FieldKinds.IsEmail).WithMessage(l["EmailInvalid"]);
        if (validator.Validate(Input).AddTo(this) && await users.FindByEmailAsync(Input.Email.Trim()) is not null)
        {
            ModelState.AddModelError("Input.Email", l["InviteEmailHasAccount"]);
        }

        if (!ModelState.IsValid)
        {
            await LoadAsync();
            return Page();
        }

        var organisationId = User.OrganisationIdOf();
        var kind = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Kind).SingleAsync();
        var role = kind == OrganisationKind.Manufacturer ? Roles.Manufacturer : Roles.Consultant;
        var token = await accounts.InviteAsync(organisationId, Input.Email.Trim(), role, User.UserId());
        var name = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.LegalName).SingleAsync();
        await emails.SendInvitationAsync(Input.Email.Trim(), name, token);
        Confirmation = l["InviteSent"];
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        var organisationId = User.OrganisationIdOf();
        OrganisationName = await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.LegalName).SingleAsync();
        Members = await accounts.MembersAsync(organisationId);
        Invitations = await accounts.OpenInvitationsAsync(organisationId);
    }
}
