using Derogation.Core.Applications;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// The annual recap of an annual prosthesis derogation (docs/adr/0006): per covered element, the quantity used
/// and the establishments; in the same step, a request to extend it by twelve months.
/// </summary>
public sealed class BilanAnnuelModel(AnnualRecaps recaps, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public List<RecapLine> Lines { get; set; } = [];

    [BindProperty]
    public bool ExtensionRequested { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    public Application Application { get; private set; } = null!;

    public DateOnly PeriodEnd { get; private set; }

    public AnnualRecap? Filed { get; private set; }

    public IReadOnlyList<DeviceReference> Elements { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Lines = Elements.Select(e => new RecapLine { Code = e.Code ?? "", Description = e.Description ?? "" }).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var (errors, recap) = await recaps.FileAsync(reference, User.AsViewer(), Lines, ExtensionRequested, Comment);
        if (recap is null)
        {
            foreach (var error in errors)
            {
                ModelState.AddModelError(error.Line is { } line ? $"Lines[{line}].{error.Field}" : error.Field, error.Message);
            }

            return Page();
        }

        TempData["Confirmation"] = l[ExtensionRequested ? "RecapFiledWithExtension" : "RecapFiled", PeriodEnd.ToString("d")].Value;
        return RedirectToPage("/Demandes/Demande", new { key = Application.Reference });
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (await recaps.OpenAsync(reference, User.AsViewer()) is not { } open)
        {
            return false;
        }

        (Application, Elements, PeriodEnd, Filed) = open;
        return true;
    }
}
