using Derogation.Core;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages;

/// <summary>
/// Public: confirms a decision letter is genuine from the code printed on it — reference, kind, decision, date,
/// manufacturer, device and the letter's SHA-256; never anything about the patient. An unknown code is a plain
/// "not found"; codes carry 80 random bits, so they cannot be guessed.
/// </summary>
public sealed class VerificationModel(LetterVerification verification) : PageModel
{
    public IReadOnlyList<LetterRectifier> RectifiedBy { get; private set; } = [];

    /// <summary>Granted, but its validity begins later: the page says "À venir" with the start date, not "Accordée".</summary>
    public DateOnly? StartsOn { get; private set; }

    public VerifiedLetter? Letter { get; private set; }

    public string Code { get; private set; } = "";

    /// <summary>No code yet: the page offers the form to type one (as printed under the letter's QR code).</summary>
    public bool Asking { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? code)
    {
        if (string.IsNullOrWhiteSpace(code))
        {
            Asking = true;
            return Page();
        }

        var result = await verification.FindAsync(code);
        (Code, Letter, StartsOn, RectifiedBy) = (result.Code, result.Letter, result.StartsOn, result.RectifiedBy);
        if (Letter is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }

        return Page();
    }
}
