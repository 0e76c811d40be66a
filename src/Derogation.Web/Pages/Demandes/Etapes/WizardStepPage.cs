using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

/// <summary>
/// One step of a wizard, written once for every step: load the caller's own draft (404 otherwise), refuse to
/// open a step before the earlier ones are complete, validate the section with its Core validator, save the
/// draft, and go on — or, when refused, show every error and everything the user typed.
/// "Save and continue later" checks only format and anonymisation, never completeness.
/// </summary>
public abstract class WizardStepPage<TSection>(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules) : PageModel
    where TSection : class, new()
{
    public const string Later = "plus-tard";

    [BindProperty]
    public TSection Input { get; set; } = new();

    /// <summary>The draft's row version when the form was displayed; posted back so a save made in between is detected.</summary>
    [BindProperty]
    public uint? RowVersion { get; set; }

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<WizardStep> Steps { get; private set; } = [];

    /// <summary>The step's address; which step object it is depends on the kind of application (<see cref="WizardSteps.Find"/>).</summary>
    protected abstract string Slug { get; }

    public WizardStep Step { get; private set; } = null!;

    public int StepNumber => Steps.ToList().IndexOf(Step) + 1;

    public WizardStep? NextStep => StepNumber < Steps.Count ? Steps[StepNumber] : null;

    protected IStringLocalizer L => l;

    protected RuleContext Rules => rules;

    protected abstract TSection Read(ApplicationAnswers answers);

    /// <summary>For steps with lists (references, earlier derogations): apply an add/remove action; true when it was one.</summary>
    protected virtual bool EditRows(string action) => false;

    protected abstract void Write(ApplicationAnswers answers, TSection section);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var refusal = await LoadAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        Input = Read(Application.Answers);
        RowVersion = Application.RowVersion;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, string? action)
    {
        var refusal = await LoadAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        if (action is not null && EditRows(action))
        {
            // Adding or removing a row only redraws the form with what was typed; nothing is validated or saved yet.
            ModelState.Clear();
            return Page();
        }

        var saveForLater = action == Later;
        // Validate the section as it would be saved, in the context of the other answers (e.g. MD or IVD).
        var answers = AnswersJson.Copy(Application.Answers);
        Write(answers, Input);
        var result = Step.Validate(answers, rules, !saveForLater);
        if (!result.AddTo(this) || !ModelState.IsValid)
        {
            return Page();
        }

        Write(Application.Answers, Input);
        try
        {
            await drafts.SaveAsync(Application, RowVersion);
        }
        catch (DbUpdateConcurrencyException)
        {
            // Saved elsewhere in between: keep what was typed here, and say what happened.
            ModelState.AddModelError("", l["DraftChangedElsewhere"]);
            return Page();
        }

        if (saveForLater)
        {
            TempData["Confirmation"] = l["DraftSavedForLater"].Value;
            return Redirect("/demandes");
        }

        return Redirect($"/demandes/{Application.Id}/{NextStep?.Slug ?? WizardSteps.Summary}");
    }

    private async Task<IActionResult?> LoadAsync(Guid id)
    {
        var draft = await drafts.FindEditableAsync(id, User.AsViewer());
        if (draft is null)
        {
            return NotFound();
        }

        Application = draft;
        Steps = WizardSteps.For(draft.Kind);
        if (WizardSteps.Find(draft.Kind, Slug) is not { } step)
        {
            return NotFound(); // e.g. the patient step of a global application
        }

        Step = step;
        if (!WizardSteps.CanOpen(draft.Kind, Step.Slug, draft.Answers, rules))
        {
            // A step cannot be opened before the ones it depends on: back to the first one not yet complete.
            var first = WizardSteps.FirstIncomplete(draft.Kind, draft.Answers, rules)!;
            return Redirect($"/demandes/{draft.Id}/{first.Slug}");
        }

        return null;
    }
}
