using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>Withdrawing an application before the decision: asks for a reason and for confirmation.</summary>
public sealed class RetraitModel(ApplicationWithdrawal withdrawal, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Reason { get; set; }

    public Application Application { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(string reference) => await LoadAsync(reference) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        switch (await withdrawal.WithdrawAsync(Application.Reference!, User.AsViewer(), Reason))
        {
            case WithdrawalError.ReasonRequired:
                ModelState.AddModelError(nameof(Reason), l["WithdrawalReasonRequired"]);
                return Page();
            case WithdrawalError.NotWithdrawable:
                ModelState.AddModelError("", l["WithdrawalNotPossible"]);
                return Page();
            case WithdrawalError.Identifying:
                foreach (var finding in Anonymisation.InTextAbout(Application, Reason))
                {
                    ModelState.AddModelError(nameof(Reason), l["Anon" + finding.Problem, l["WithdrawalReasonLabel"], finding.Found]);
                }

                return Page();
            case WithdrawalError.NotFound:
                return NotFound();
        }

        TempData["Confirmation"] = l["WithdrawalDone", Application.Reference!].Value;
        return RedirectToPage("/Demandes/Demande", new { key = Application.Reference });
    }

    private async Task<bool> LoadAsync(string reference)
    {
        var application = await db.Applications.AsNoTracking().FindVisibleAsync(reference, User.AsViewer());
        if (application is null || !ApplicationWithdrawal.IsWithdrawable(application.Status))
        {
            return false;
        }

        Application = application;
        return true;
    }
}
