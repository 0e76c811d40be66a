using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// Answering ANSM's information request: the request, the sections it allows to amend (each opened in its
/// wizard step), the documents added, and the answer's text — kept as a draft on request so nothing is lost
/// while sections are amended. Sending it freezes the next version. Only the organisation that filed answers.
/// </summary>
public sealed class ReponseModel(
    DerogationDbContext db, InformationRequests requests, AnswersPresenter presenter, Derogation.Core.Documents.DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Answer { get; set; }

    /// <summary>After the decision: a file sent with the answer (before it, documents are added in the application).</summary>
    [BindProperty]
    public IFormFile? Attachment { get; set; }

    public Application Application { get; private set; } = null!;

    public InformationRequest OpenRequest { get; private set; } = null!;

    public IReadOnlyList<(WizardStep Step, IReadOnlyList<(string Label, string Value)> Answers)> Amendable { get; private set; } = [];

    /// <summary>Documents added since the version ANSM has.</summary>
    public IReadOnlyList<DocumentReference> AddedDocuments { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Answer ??= OpenRequest.Answer;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        await using var content = Attachment?.OpenReadStream();
        var (error, incomplete, refusal) = await requests.AnswerAsync(Application.Id, User.AsViewer(), Answer,
            Attachment is null ? null : new RequestAttachment(Attachment.FileName, content!));
        switch (error)
        {
            case AnswerError.AttachmentNotExpected:
                ModelState.AddModelError(nameof(Attachment), l["AnswerAttachmentNotExpected"]);
                return Page();
            case AnswerError.AttachmentRejected:
                ModelState.AddModelError(nameof(Attachment), Applications.UploadErrors.Message(l, refusal!, documentOptions));
                return Page();
            case AnswerError.None:
                TempData["Confirmation"] = l["AnswerSent"].Value;
                return RedirectToPage("/Demandes/Demande", new { key = Application.Reference });
            case AnswerError.NotFound or AnswerError.NothingToAnswer:
                return NotFound();
            case AnswerError.Identifying:
                AddFindings();
                return Page();
            case AnswerError.SectionIncomplete:
                ModelState.AddModelError("", l["AnswerSectionIncomplete", l[WizardSteps.Find(Application.Kind, incomplete!)!.TitleKey]]);
                return Page();
            default:
                ModelState.AddModelError(nameof(Answer), error == AnswerError.AnswerTooLong ? l["TooLong", InformationRequests.MaxTextLength] : l["AnswerRequired"]);
                return Page();
        }
    }

    /// <summary>"Save without sending": the text is kept for later, the application stays with the applicant.</summary>
    public async Task<IActionResult> OnPostDraftAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        switch (await requests.SaveAnswerDraftAsync(Application.Id, User.AsViewer(), Answer))
        {
            case AnswerError.AnswerTooLong:
                ModelState.AddModelError(nameof(Answer), l["TooLong", InformationRequests.MaxTextLength]);
                return Page();
            case AnswerError.Identifying:
                AddFindings();
                return Page();
        }

        TempData["Confirmation"] = l["AnswerDraftSaved"].Value;
        return RedirectToPage("/Demandes/Reponse", new { reference = Application.Reference });
    }

    /// <summary>Each finding named, with the fix; the text stays in the form.</summary>
    private void AddFindings()
    {
        foreach (var finding in Anonymisation.InTextAbout(Application, Answer))
        {
            ModelState.AddModelError(nameof(Answer), l["Anon" + finding.Problem, l["AnswerLabel"], finding.Found]);
        }
    }

    private async Task<bool> LoadAsync(string reference)
    {
        var viewer = User.AsViewer();
        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).FindVisibleAsync(reference, viewer);
        if (application is null || application.FilingOrganisationId != viewer.OrganisationId
            || await requests.OpenRequestAsync(application.Id) is not { } request
            || (!request.AfterDecision && application.Status != ApplicationStatus.InformationRequested))
        {
            return false;
        }

        Application = application;
        OpenRequest = request;
        Amendable = WizardSteps.For(application.Kind).Where(step => request.AmendableSections.Contains(step.Name))
            .Select(step => (step, presenter.Describe(step.Section(application.Answers)))).ToList();
        var latest = await db.ApplicationVersions.AsNoTracking().Where(v => v.ApplicationId == application.Id)
            .OrderByDescending(v => v.Version).Select(v => v.Answers).FirstAsync();
        AddedDocuments = application.Answers.Documents.Where(d => latest.Documents.All(old => old.Id != d.Id)).ToList();
        return true;
    }
}
