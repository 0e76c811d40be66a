using Derogation.Core.Issuing;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages;

/// <summary>
/// Public: a copy of a decision letter for someone without an account, through the single-use link they were
/// e-mailed. The first opening spends the link; afterwards, or when unknown or expired, a plain "not found".
/// </summary>
public sealed class LettreUniqueModel(DerogationDbContext db, TimeProvider clock) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string token)
    {
        var letter = await db.OpenOnceAsync(token, clock);
        if (letter is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        // Never kept by a shared cache: the link works once.
        Response.Headers.CacheControl = "no-store";
        return File(letter.Content, "application/pdf", letter.FileName);
    }
}
