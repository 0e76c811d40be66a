using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Admin;

/// <summary>Mandate letters uploaded by consultancies for unregistered manufacturers, to verify or reject.</summary>
public sealed class MandatsModel(MandateService mandates, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<Mandate> Pending { get; private set; } = [];

    /// <summary>For each pending letter, the registered manufacturers whose name or SRN is close to the one it declares.</summary>
    public Dictionary<Guid, List<NearMatch>> NearMatches { get; private set; } = [];

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task OnGetAsync() => await LoadAsync();

    private async Task LoadAsync()
    {
        Pending = await mandates.PendingVerificationAsync();
        foreach (var mandate in Pending)
        {
            NearMatches[mandate.Id] = await mandates.NearMatchesAsync(mandate);
        }
    }

    public async Task<IActionResult> OnGetLetterAsync(Guid id)
    {
        var letter = await db.Mandates.AsNoTracking().Where(m => m.Id == id && m.LetterContent != null)
            .Select(m => new { m.LetterFileName, m.LetterContent }).SingleOrDefaultAsync();
        return letter is null ? NotFound() : File(letter.LetterContent!, "application/pdf", letter.LetterFileName);
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id)
    {
        switch (await mandates.VerifyAsync(id, User.UserId()))
        {
            case MandateError.None:
                break;
            case MandateError.ManufacturerRegistered:
                // Registered since the letter arrived: it must grant the mandate itself; the letter is to be rejected.
                ModelState.AddModelError($"Reason-{id}", l["MandateVerifyManufacturerRegistered"]);
                await LoadAsync();
                return Page();
            default:
                return NotFound();
        }

        Confirmation = l["MandateVerifiedConfirmation"];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRejectAsync(Guid id)
    {
        // Each pending letter has its own reason field, so the error is keyed by the letter.
        var problem = string.IsNullOrWhiteSpace(Reason) ? l["RejectReasonRequired"] : Reason.Length > 2000 ? l["TooLong", 2000] : null;
        if (problem is not null)
        {
            ModelState.AddModelError($"Reason-{id}", problem);
            await LoadAsync();
            return Page();
        }

        if (await mandates.RejectAsync(id, Reason!, User.UserId()) != MandateError.None)
        {
            return NotFound();
        }

        Confirmation = l["MandateRejectedConfirmation"];
        return RedirectToPage();
    }
}
