using Derogation.Web.Pages.Demandes.Etapes;
using Derogation.Core.Applications;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>Starting an application of either kind: a consultancy first chooses the manufacturer it files for.</summary>
public sealed class NouvelleModel(ApplicationDrafts drafts, MandateService mandates, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? ManufacturerId { get; set; }

    public bool IsConsultancy { get; private set; }

    /// <summary>From the address: /demandes/individuelle/nouvelle or /demandes/globale/nouvelle.</summary>
    public ApplicationKind Kind => RouteData.Values["kind"] as string == "globale" ? ApplicationKind.Global : ApplicationKind.Individual;

    public IEnumerable<(string, string)> Manufacturers { get; private set; } = [];

    /// <summary>The answers of the check before the wizard, when the applicant came through it (kept with the draft).</summary>
    public EligibilityAnswers? Eligibility { get; private set; }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostAsync()
    {
        var viewer = User.AsViewer();
        var (error, draft) = await drafts.CreateAsync(Kind, viewer, Guid.TryParse(ManufacturerId, out var id) ? id : null, EligibiliteModel.Carried(TempData, keep: true));
        if (error == DraftError.NoMandateInForce)
        {
            ModelState.AddModelError(nameof(ManufacturerId), l["ChooseMandatedManufacturer"]);
            await LoadAsync();
            return Page();
        }

        if (error != DraftError.None)
        {
            return NotFound();
        }

        TempData.Remove(EligibiliteModel.TempDataKey);
        return RedirectToPage(StepPages.Of(WizardSteps.Parties), new { id = draft!.Id });
    }

    private async Task LoadAsync()
    {
        Eligibility = EligibiliteModel.Carried(TempData, keep: true);
        IsConsultancy = User.AsViewer().OrganisationKind.FilesUnderMandate();
        if (IsConsultancy)
        {
            Manufacturers = (await mandates.ManufacturersInForceAsync(User.OrganisationIdOf())).Select(m => (m.Id.ToString(), $"{m.LegalName} ({m.Country})"));
        }
    }
}
