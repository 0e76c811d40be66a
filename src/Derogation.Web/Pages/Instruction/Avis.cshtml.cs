using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>The holder (or a senior reviewer) asks another ANSM user for an opinion: who, the question, what to read, by when.</summary>
public sealed class AvisModel(ExpertOpinions opinions, ExpertOpinionOptions options, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Days before the deadline at which the expert is reminded (said in the hint).</summary>
    public int ReminderDays => options.ReminderDaysBefore;

    [BindProperty]
    public Guid? ExpertId { get; set; }

    [BindProperty]
    public string? Question { get; set; }

    [BindProperty]
    public List<Guid> Documents { get; set; } = [];

    [BindProperty]
    public DateOnly? Deadline { get; set; }

    public Application Application { get; private set; } = null!;

    public IEnumerable<(string, string)> Experts { get; private set; } = [];

    public IReadOnlyList<DocumentReference> Submitted { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference) => await LoadAsync(reference) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var (error, _) = await opinions.AskAsync(Application.Reference!, new OpinionRequest(ExpertId, Question, Documents, Deadline), User.UserId(),
            User.IsInRole(Derogation.Core.Organisations.Roles.SeniorReviewer));
        if (error == OpinionError.None)
        {
            TempData["Message"] = l["OpinionAsked"].Value;
            return RedirectToPage("/Instruction/Dossier", null, new { reference = Application.Reference }, "avis");
        }

        if (error == OpinionError.NotFound)
        {
            return NotFound();
        }

        ModelState.AddModelError(error switch
        {
            OpinionError.ExpertRequired or OpinionError.ExpertInvalid => nameof(ExpertId),
            OpinionError.QuestionRequired or OpinionError.TooLong => nameof(Question),
            OpinionError.DeadlineRequired or OpinionError.DeadlineNotInFuture => nameof(Deadline),
            OpinionError.DocumentInvalid => nameof(Documents),
            _ => "",
        }, error == OpinionError.TooLong ? l["TooLong", ExpertOpinions.MaxTextLength] : l["OpinionError" + error]);
        return Page();
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (await db.FindForReviewerAsync(User, reference) is not { } application)
        {
            return false;
        }

        Application = application;
        Experts = (await opinions.ExpertsAsync(User.UserId())).Select(e => (e.Id.ToString(), e.Name)).ToList();
        Submitted = await opinions.SubmittedDocumentsAsync(application.Id);
        return true;
    }
}
