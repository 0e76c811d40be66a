using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>Deleting a draft asks for confirmation; only drafts, only the filing organisation's.</summary>
public sealed class SupprimerModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l) : PageModel
{
    public Application Draft { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var draft = await drafts.FindEditableAsync(id, User.AsViewer());
        if (draft is null)
        {
            return NotFound();
        }

        Draft = draft;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id)
    {
        if (!await drafts.DeleteAsync(id, User.AsViewer()))
        {
            return NotFound();
        }

        TempData["Confirmation"] = l["DraftDeleted"].Value;
        return RedirectToPage("/Demandes/Index");
    }
}
