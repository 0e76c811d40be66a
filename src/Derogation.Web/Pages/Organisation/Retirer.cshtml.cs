using Derogation.Core.Accounts;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Organisation;

/// <summary>Removing a member asks for confirmation first.</summary>
public sealed class RetirerModel(AccountService accounts, AccountPresence presence, IStringLocalizer<SharedResource> l) : PageModel
{
    public PortalUser Member { get; private set; } = null!;

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var member = (await accounts.MembersAsync(User.OrganisationIdOf())).SingleOrDefault(m => m.Id == id && m.Id != User.UserId());
        if (member is null)
        {
            return NotFound();
        }

        Member = member;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        var result = await accounts.RemoveMemberAsync(User.OrganisationIdOf(), id, User.UserId());
        if (!result.Succeeded)
        {
            return NotFound();
        }

        // Signed out on their next request, not after the presence cache's few seconds.
        presence.Forget(id);
        Confirmation = l["MemberRemoved", result.User!.FullName];
        return RedirectToPage("/Organisation/Membres");
    }
}
