using Derogation.Web.Pages.Demandes.Etapes;
using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>Asking for the extension of a global derogation: a new application, prefilled and linked to the earlier one.</summary>
public sealed class ProlongationModel(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Reference { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (string.IsNullOrWhiteSpace(Reference))
        {
            ModelState.AddModelError(nameof(Reference), l["ExtensionReferenceRequired"]);
            return Page();
        }

        var (error, draft) = await drafts.CreateExtensionAsync(Reference, User.AsViewer());
        if (error != DraftError.None)
        {
            ModelState.AddModelError(nameof(Reference), error == DraftError.NoMandateInForce ? l["ChooseMandatedManufacturer"] : l["ExtensionNothingToExtend", Reference.Trim()]);
            return Page();
        }

        return RedirectToPage(StepPages.Of(WizardSteps.Parties), new { id = draft!.Id });
    }
}
