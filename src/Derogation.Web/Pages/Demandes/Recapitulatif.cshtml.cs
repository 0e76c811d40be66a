using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>"Check your answers": every section with a change link, and everything still missing, each linked to its step.</summary>
public sealed class RecapitulatifModel(
    ApplicationDrafts drafts, ApplicationSubmission submission,
    IStringLocalizer<SharedResource> l, RuleContext rules, Derogation.Web.Applications.AnswersPresenter presenter) : PageModel
{
    [BindProperty]
    public uint? RowVersion { get; set; }

    public sealed record SectionSummary(WizardStep Step, IReadOnlyList<(string Label, string Value)> Answers, ValidationResult Completeness);

    public Application Application { get; private set; } = null!;

    public IReadOnlyList<SectionSummary> Sections { get; private set; } = [];

    public bool IsComplete => Sections.All(s => s.Completeness.IsValid);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var draft = await drafts.FindEditableAsync(id, User.AsViewer());
        if (draft is null)
        {
            return NotFound();
        }

        Show(draft);
        return Page();
    }

    /// <summary>Submission: everything is checked again on the server; a second click finds it submitted already.</summary>
    public async Task<IActionResult> OnPostSubmitAsync(Guid id)
    {
        var result = await submission.SubmitAsync(id, User.AsViewer(), RowVersion, rules);
        switch (result.Outcome)
        {
            case SubmissionOutcome.NotFound:
                return NotFound();
            case SubmissionOutcome.AlreadySubmitted:
                return RedirectToPage("/Demandes/Demande", new { key = result.Application!.Reference });
            case SubmissionOutcome.NoMandateInForce:
            case SubmissionOutcome.Incomplete:
                ModelState.AddModelError("", result.Outcome == SubmissionOutcome.NoMandateInForce
                    ? l["MandateNoLongerInForce", result.Application?.Manufacturer?.LegalName ?? ""]
                    : l["SubmissionIncomplete"]);
                var draft = await drafts.FindEditableAsync(id, User.AsViewer());
                if (draft is null)
                {
                    return NotFound();
                }

                Show(draft);
                return Page();
        }

        var application = result.Application!;
        TempData["Confirmation"] = l["SubmittedConfirmation", application.Reference!].Value;
        return RedirectToPage("/Demandes/Demande", new { key = application.Reference });
    }

    private void Show(Application draft)
    {
        Application = draft;
        RowVersion ??= draft.RowVersion;
        Sections = WizardSteps.For(draft.Kind)
            .Select(step => new SectionSummary(step, presenter.Describe(step.Section(draft.Answers)), step.Validate(draft.Answers, rules, true)))
            .ToList();
    }
}
