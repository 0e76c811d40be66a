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

    [BindProperty]
    public string? Reason { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task OnGetAsync() => Pending = await mandates.PendingVerificationAsync();

    public async Task<IActionResult> OnGetLetterAsync(Guid id)
    {
        var letter = await db.Mandates.AsNoTracking().Where(m => m.Id == id && m.LetterContent != null)
            .Select(m => new { m.LetterFileName, m.LetterContent }).SingleOrDefaultAsync();
        return letter is null ? NotFound() : File(letter.LetterContent!, "application/pdf", letter.LetterFileName);
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id)
    {
        if (await mandates.VerifyAsync(id, User.UserId()) != MandateError.None)
        {
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
            Pending = await mandates.PendingVerificationAsync();
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
