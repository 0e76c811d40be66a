using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The assessment grid of a case: an opinion and a comment per criterion, saved as the review goes; every one is
/// needed before a grant or a refusal is proposed. The holder or a senior reviewer fills it; the service checks again.
/// </summary>
public sealed class GrilleModel(DerogationDbContext db, Assessments assessments, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class CriterionInput
    {
        public AssessmentCriterion Criterion { get; set; }
        public AssessmentOpinion? Opinion { get; set; }
        public string? Comment { get; set; }
    }

    [BindProperty]
    public List<CriterionInput> Grid { get; set; } = [];

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<AssessmentEntry> Saved { get; private set; } = [];

    /// <summary>The holder, or a senior reviewer, while no decision is signed.</summary>
    public bool MayEdit { get; private set; }

    public bool Decided { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Grid = Saved.Select(e => new CriterionInput { Criterion = e.Criterion, Opinion = e.Opinion, Comment = e.Comment }).ToList();
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        // Whatever the form says, only the criteria of this kind of application exist, in the grid's order.
        var posted = Saved.Select(e => Grid.FirstOrDefault(g => g.Criterion == e.Criterion) ?? new CriterionInput { Criterion = e.Criterion }).ToList();
        Grid = posted;
        var tooLong = posted.Select((g, i) => (g, i)).Where(x => x.g.Comment?.Trim().Length > Assessments.MaxCommentLength).ToList();
        foreach (var (_, index) in tooLong)
        {
            ModelState.AddModelError($"Grid[{index}].Comment", l["TooLong", Assessments.MaxCommentLength]);
        }

        if (tooLong.Count > 0)
        {
            return Page();
        }

        var error = await assessments.SaveAsync(reference, posted.Select(g => new AssessmentInput(g.Criterion, g.Opinion, g.Comment)).ToList(),
            User.UserId(), User.IsInRole(Derogation.Core.Organisations.Roles.SeniorReviewer));
        if (error != AssessmentError.None)
        {
            ModelState.AddModelError(string.Empty, l["AssessmentError" + error]);
            return Page();
        }

        var missing = await Assessments.MissingAsync(db, Application.Id, Application.Kind);
        TempData["Message"] = missing.Count == 0 ? l["AssessmentSavedComplete"].Value : l["AssessmentSavedIncomplete", missing.Count].Value;
        return RedirectToPage("/Instruction/Dossier", null, new { reference = Application.Reference }, "grille");
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (await db.FindForReviewerAsync(User, reference) is not { } application)
        {
            return false;
        }

        Application = application;
        Saved = await assessments.ReadAsync(application.Id, application.Kind);
        Decided = await db.Decisions.AnyAsync(d => d.ApplicationId == application.Id);
        MayEdit = !Decided && (User.IsInRole(Derogation.Core.Organisations.Roles.SeniorReviewer) || application.AssignedReviewerId == User.UserId());
        return true;
    }
}
