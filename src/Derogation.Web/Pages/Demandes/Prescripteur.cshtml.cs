using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// The applicant asks the prescriber to write their part of an individual draft themselves: a single-use link by
/// e-mail. The page shows where it stands (sent, completed) and the statement once written; the applicant cannot
/// change it.
/// </summary>
public sealed class PrescripteurModel(ApplicationDrafts drafts, PrescriberPart part, IStringLocalizer<SharedResource> l) : PageModel
{
    public Application Draft { get; private set; } = null!;

    public List<PrescriberInvitation> Invitations { get; private set; } = [];

    [BindProperty]
    public string? Email { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        if (!await LoadAsync(id))
        {
            return NotFound();
        }

        Email ??= Invitations.FirstOrDefault()?.Email ?? Draft.Answers.HealthProfessionals.PrescriberEmail;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        switch (await part.InviteAsync(id, User.AsViewer(), Email))
        {
            case PrescriberInviteError.None:
                Confirmation = l["PrescriberInvitationSent"].Value;
                return RedirectToPage("/Demandes/Prescripteur", new { id });
            case PrescriberInviteError.EmailInvalid:
                ModelState.AddModelError(nameof(Email), l["PrescriberEmailInvalid"]);
                return await LoadAsync(id) ? Page() : NotFound();
            default:
                return NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid id)
    {
        var draft = await drafts.FindEditableAsync(id, User.AsViewer());
        if (draft is null || draft.Kind != ApplicationKind.Individual)
        {
            return false;
        }

        Draft = draft;
        Invitations = await part.InvitationsAsync(id);
        return true;
    }
}
