using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages.Demandes.Etapes;

/// <summary>
/// Every wizard step, whatever it edits: the caller's own draft (404 otherwise), this wizard's step at this
/// address (404 when the kind has no such step), and no opening a step before the ones before it are complete.
/// </summary>
public abstract class WizardPage(ApplicationDrafts drafts, RuleContext rules) : PageModel
{
    public Application Application { get; private set; } = null!;

    public IReadOnlyList<WizardStep> Steps { get; private set; } = [];

    public WizardStep Step { get; private set; } = null!;

    public int StepNumber => Steps.ToList().IndexOf(Step) + 1;

    public WizardStep? NextStep => StepNumber < Steps.Count ? Steps[StepNumber] : null;

    /// <summary>The step this page draws; which step object it is depends on the kind of application (<see cref="WizardSteps.Find"/>).</summary>
    protected abstract string StepName { get; }

    protected ApplicationDrafts Drafts => drafts;

    protected RuleContext Rules => rules;

    /// <summary>True while answering an information request: the step amends a submitted application.</summary>
    public bool Amending => OpenRequest is not null;

    /// <summary>The information request being answered, when amending.</summary>
    public Derogation.Core.Review.InformationRequest? OpenRequest { get; private set; }

    /// <summary>Where the user goes when the step is saved while amending: back to the answer.</summary>
    protected string AnswerPage => Url.Page("/Demandes/Reponse", new { reference = Application.Reference })!;

    /// <summary>Loads and checks the draft; returns what to answer instead of the page, or null to go on.</summary>
    protected async Task<IActionResult?> OpenAsync(Guid id)
    {
        var (draft, openRequest) = await drafts.FindAmendableAsync(id, User.AsViewer(), StepName);
        return draft is null ? NotFound() : Open(draft, openRequest);
    }

    /// <summary>Opens this step of a draft the caller may amend (read with every check, or recalled); null to go on.</summary>
    protected IActionResult? Open(Application draft, Derogation.Core.Review.InformationRequest? openRequest)
    {
        Application = draft;
        OpenRequest = openRequest;
        ViewData["Amending"] = Amending;
        Steps = WizardSteps.For(draft.Kind);
        if (WizardSteps.Find(draft.Kind, StepName) is not { } step)
        {
            return NotFound(); // e.g. the patient step of a global application
        }

        Step = step;
        if (!Amending && !WizardSteps.CanOpen(draft.Kind, Step.Name, draft.Answers, rules))
        {
            // A step cannot be opened before the ones it depends on: back to the first one not yet complete.
            return RedirectToPage(StepPages.Of(WizardSteps.FirstIncomplete(draft.Kind, draft.Answers, rules)!), new { id = draft.Id });
        }

        return null;
    }
}
