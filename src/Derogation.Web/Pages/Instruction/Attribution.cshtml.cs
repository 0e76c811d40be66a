using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>A senior reviewer gives an open application to a reviewer (or moves it to another); recorded in the history.</summary>
public sealed class AttributionModel(ReviewQueue queue, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public Guid? ReviewerId { get; set; }

    public Application Application { get; private set; } = null!;

    public IEnumerable<(string, string)> Reviewers { get; private set; } = [];

    public string? Holder { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        ReviewerId = Application.AssignedReviewerId;
        return ReviewQueue.IsOpen(Application.Status) ? Page() : RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        if (ReviewerId is null)
        {
            ModelState.AddModelError(nameof(ReviewerId), l["AssignReviewerRequired"]);
            return Page();
        }

        var outcome = await queue.AssignAsync(Application.Reference!, ReviewerId.Value, User.UserId());
        switch (outcome)
        {
            case AssignOutcome.Assigned:
                TempData["Message"] = l["AssignDone", Reviewers.First(r => r.Item1 == ReviewerId.ToString()).Item2].Value;
                return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
            case AssignOutcome.NotFound:
                return NotFound();
            default:
                ModelState.AddModelError(outcome == AssignOutcome.NotOpen ? "" : nameof(ReviewerId), l["AssignError" + outcome]);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (!User.IsInRole(Roles.SeniorReviewer))
        {
            return false;
        }

        var application = await db.Applications.AsNoTracking().FindVisibleAsync(reference, User.AsViewer());
        if (application?.Reference is null)
        {
            return false;
        }

        Application = application;
        Reviewers = (await queue.ReviewersAsync()).Select(r => (r.Id.ToString(), r.Name)).ToList();
        Holder = await db.Users.Where(u => u.Id == application.AssignedReviewerId).Select(u => u.FullName).SingleOrDefaultAsync();
        return true;
    }
}
