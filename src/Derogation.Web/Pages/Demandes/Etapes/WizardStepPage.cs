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
public abstract class WizardStepPage<TSection>(ApplicationDrafts drafts, IStringLocalizer<SharedResource> l, RuleContext rules) : WizardPage(drafts, rules)
    where TSection : class, new()
{
    public const string Later = "plus-tard";

    /// <summary>"Enregistrer et continuer" (and, when amending, "Enregistrer la modification").</summary>
    public const string Continue = "continuer";

    /// <summary>Saves what was typed (as "later" does), then opens the prescriber's part of an individual draft.</summary>
    public const string ToPrescriberPart = "prescripteur";

    [BindProperty]
    public TSection Input { get; set; } = new();

    /// <summary>The draft's row version when the form was displayed; posted back so a save made in between is detected.</summary>
    [BindProperty]
    public uint? RowVersion { get; set; }


    protected IStringLocalizer L => l;

    protected abstract TSection Read(ApplicationAnswers answers);

    /// <summary>For steps with lists (references, earlier derogations): apply an add/remove action; true when it was one.</summary>
    protected virtual bool EditRows(string action) => false;

    protected abstract void Write(ApplicationAnswers answers, TSection section);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var refusal = await OpenAsync(id);
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
        if (await SaveRecalledAsync(id, action) is { } saved)
        {
            return saved;
        }

        var refusal = await OpenAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        if (action is not null && EditRows(action))
        {
            // Adding or removing a row keeps everything typed so far: the step is saved as "later" would save it
            // (format and anonymisation only), then shown again from the draft — a reload loses nothing.
            ModelState.Clear();
            var edited = AnswersJson.Copy(Application.Answers);
            Write(edited, Input);
            if (!Step.Validate(edited, Rules, false).AddTo(this) || !ModelState.IsValid)
            {
                return Page();
            }

            return await SaveAsync() ?? Redirect(Url.Step(Step, Application.Id));
        }

        var toPrescriber = action == ToPrescriberPart && Application.Kind == ApplicationKind.Individual && !Amending;
        var saveForLater = action == Later || toPrescriber;
        // Validate the section as it would be saved, in the context of the other answers (e.g. MD or IVD).
        var answers = AnswersJson.Copy(Application.Answers);
        Write(answers, Input);
        var result = Step.Validate(answers, Rules, !saveForLater);
        if (!result.AddTo(this) || !ModelState.IsValid)
        {
            return Page();
        }

        if (await SaveAsync() is { } notSaved)
        {
            return notSaved;
        }

        return Saved(toPrescriber, saveForLater);
    }

    /// <summary>
    /// The common case in one statement (docs/performance.md): a step of a draft this instance remembers, valid as
    /// posted, saved at once by <see cref="ApplicationDrafts.SaveRecalledAsync"/> — or, when another instance saved the
    /// draft since, validated again against the draft as that statement brought it and saved in a second one. Null
    /// whenever anything else is the case — a row to add or remove, an error to show, a draft not remembered, or no
    /// longer the caller's to amend — and the step then takes the full path, which reads the draft with every check and
    /// says what is wrong.
    /// </summary>
    private async Task<IActionResult?> SaveRecalledAsync(Guid id, string? action)
    {
        var viewer = User.AsViewer();
        if (action is not (null or Continue or Later or ToPrescriberPart) || !ModelState.IsValid)
        {
            return null;
        }

        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (Drafts.Recall(id, viewer) is not { } draft || Open(draft, null) is not null)
            {
                return null;
            }

            var toPrescriber = action == ToPrescriberPart && draft.Kind == ApplicationKind.Individual;
            var saveForLater = action == Later || toPrescriber;
            Write(draft.Answers, Input);
            if (!Step.Validate(draft.Answers, Rules, !saveForLater).IsValid)
            {
                return null;
            }

            switch (await Drafts.SaveRecalledAsync(draft, viewer, RowVersion))
            {
                case RecalledSave.Saved:
                    return Saved(toPrescriber, saveForLater);
                case RecalledSave.NotSaved:
                    return null;
            }
        }

        return null;
    }

    /// <summary>Where the user goes once the step is saved.</summary>
    private IActionResult Saved(bool toPrescriber, bool saveForLater)
    {
        if (Amending)
        {
            TempData["Confirmation"] = l["AmendmentSaved", l[Step.TitleKey]].Value;
            return Redirect(AnswerPage);
        }

        if (toPrescriber)
        {
            return RedirectToPage("/Demandes/Prescripteur", new { id = Application.Id });
        }

        if (saveForLater)
        {
            TempData["Confirmation"] = l["DraftSavedForLater"].Value;
            return RedirectToPage("/Demandes/Index");
        }

        return RedirectToPage(StepPages.OfNext(NextStep), new { id = Application.Id });
    }

    /// <summary>Writes the step into the draft and saves it; null when saved, else the page saying why not (what was typed kept).</summary>
    private async Task<IActionResult?> SaveAsync()
    {
        Write(Application.Answers, Input);
        try
        {
            switch (await Drafts.SaveAsync(Application, RowVersion))
            {
                case DraftError.NoMandateInForce:
                    // The mandate was revoked or has expired since the draft was created: nothing is saved, the draft is kept.
                    ModelState.AddModelError("", l["MandateNoLongerInForce", Application.Manufacturer?.LegalName ?? ""]);
                    return Page();
                case not DraftError.None:
                    return NotFound();
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            // Saved elsewhere in between: keep what was typed here, and say what happened.
            ModelState.AddModelError("", l["DraftChangedElsewhere"]);
            return Page();
        }

        return null;
    }

}
