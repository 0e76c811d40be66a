using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>A reviewer chooses to be e-mailed, beside the team address, when an urgent application is filed.</summary>
public sealed class AlertesModel(DerogationDbContext db, TimeProvider clock, ReviewAlertOptions options, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>The configured delay before an untaken vital emergency is announced again, as people say it.</summary>
    public string ReannounceAfter => options.ReannounceAfterMinutes % 60 == 0 ? $"{options.ReannounceAfterMinutes / 60} h" : $"{options.ReannounceAfterMinutes} min";

    [BindProperty]
    public bool ReceivesUrgentAlerts { get; set; }

    public string? Email { get; private set; }

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsReviewer())
        {
            return NotFound();
        }

        var me = await db.Users.AsNoTracking().Where(u => u.Id == User.UserId()).Select(u => new { u.ReceivesUrgentAlerts, u.Email }).SingleAsync();
        (ReceivesUrgentAlerts, Email) = (me.ReceivesUrgentAlerts, me.Email);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!User.IsReviewer())
        {
            return NotFound();
        }

        var me = await db.Users.SingleAsync(u => u.Id == User.UserId());
        if (me.ReceivesUrgentAlerts != ReceivesUrgentAlerts)
        {
            me.ReceivesUrgentAlerts = ReceivesUrgentAlerts;
            db.Record(clock, ReceivesUrgentAlerts ? AuditActions.UrgentAlertsOn : AuditActions.UrgentAlertsOff, me.Id, "User", me.Id.ToString());
            await db.SaveChangesAsync();
        }

        Message = l[ReceivesUrgentAlerts ? "AlertsSavedOn" : "AlertsSavedOff"];
        return RedirectToPage();
    }
}
