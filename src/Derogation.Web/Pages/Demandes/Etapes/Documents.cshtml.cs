using Derogation.Core.Applications;
using Derogation.Core.Documents;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Derogation.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes.Etapes;

/// <summary>
/// The documents step: the catalogue for this kind of application with its asterisks, the files uploaded so
/// far, one upload form. Files are checked by content and size; the step is complete when every asterisked
/// document is there.
/// </summary>
public sealed class DocumentsModel(ApplicationDrafts drafts, DocumentStore store, DocumentOptions options, IStringLocalizer<SharedResource> l, RuleContext rules)
    : WizardPage(drafts, rules)
{
    [BindProperty]
    public string? DocumentType { get; set; }

    [BindProperty]
    public bool Anonymised { get; set; }

    /// <summary>One or several files, each checked and reported separately.</summary>
    [BindProperty]
    public List<IFormFile> Upload { get; set; } = [];

    /// <summary>The applicant confirms the precise dates found in a patient document (a prescription's date) are not the patient's identity.</summary>
    [BindProperty]
    public bool DatesAcknowledged { get; set; }

    /// <summary>When some of the files chosen were refused: those accepted, said on the same page as the refusals.</summary>
    public string? AddedNow { get; private set; }

    /// <summary>Dates found in the last file refused for them: the confirmation box is shown.</summary>
    public bool AskDates { get; private set; }

    [BindProperty]
    public uint? RowVersion { get; set; }

    protected override string StepName => StepNames.Documents;

    public long MaxMegabytes => options.MaxFileBytes / 1024 / 1024;

    [TempData]
    public string? Confirmation { get; set; }

    public IEnumerable<CatalogueEntry> Catalogue => DocumentCatalogue.For(Application.Kind);

    public bool IsRequired(CatalogueEntry entry) => DocumentCatalogue.IsRequired(entry, Application.Kind, Application.Answers);

    public async Task<IActionResult> OnGetAsync(Guid id)
    {
        var refusal = await OpenAsync(id);
        RowVersion = refusal is null ? Application.RowVersion : null;
        return refusal ?? Page();
    }

    public async Task<IActionResult> OnPostUploadAsync(Guid id)
    {
        var refusal = await OpenAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Enum.TryParse<DocumentType>(DocumentType, out var type))
        {
            ModelState.AddModelError(nameof(DocumentType), l["DocumentTypeRequired"]);
        }

        if (Upload.Count == 0)
        {
            ModelState.AddModelError(nameof(Upload), l["DocumentFileRequired"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var added = new List<string>();
        var rowVersion = RowVersion;
        foreach (var file in Upload)
        {
            await using var content = file.OpenReadStream();
            UploadResult result;
            try
            {
                result = await store.AddAsync(Application, type, file.FileName, content, Anonymised, DatesAcknowledged, User.UserId(), rowVersion, HttpContext.RequestAborted);
            }
            catch (DbUpdateConcurrencyException)
            {
                ModelState.AddModelError("", l["DraftChangedElsewhere"]);
                return Page();
            }

            if (result.Refusal is { } refused)
            {
                AskDates |= refused.Error == UploadError.DatesToAcknowledge;
                // Each file is named with its own reason; the files accepted before it stay accepted.
                var message = UploadErrors.Message(l, refused, options);
                ModelState.AddModelError(refused.Error == UploadError.AnonymisationNotConfirmed ? nameof(Anonymised) : nameof(Upload),
                    Upload.Count == 1 ? message : l["DocumentRefusedNamed", SafeName(file.FileName), message]);
                continue;
            }

            added.Add(SafeName(file.FileName));
            // The draft's row version moved with this file: the next ones follow on from it.
            rowVersion = null;
        }

        // Where the time went (antivirus, content checks, storage): for a browser's developer tools and the benchmark.
        Response.Headers["Server-Timing"] = store.Costs.ServerTiming();

        if (!ModelState.IsValid)
        {
            AddedNow = added.Count == 0 ? null : l[added.Count == 1 ? "DocumentAdded" : "DocumentsAdded", string.Join(", ", added)].Value;
            RowVersion = Application.RowVersion;
            return Page();
        }

        Confirmation = l[added.Count == 1 ? "DocumentAdded" : "DocumentsAdded", string.Join(", ", added)];
        return RedirectToPage(StepPages.Of(Step), new { id });
    }

    public async Task<IActionResult> OnPostRemoveAsync(Guid id, Guid document)
    {
        var refusal = await OpenAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!CanRemove)
        {
            return NotFound();
        }

        return await store.RemoveAsync(Application, document) ? RedirectToPage(StepPages.Of(Step), new { id }) : NotFound();
    }

    /// <summary>The applicant confirms that a document carried over from an earlier application still applies.</summary>
    public async Task<IActionResult> OnPostConfirmAsync(Guid id, Guid document)
    {
        var refusal = await OpenAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        return CanRemove && await Drafts.ConfirmCarriedOverAsync(Application, document) ? RedirectToPage(StepPages.Of(Step), new { id }) : NotFound();
    }

    public async Task<IActionResult> OnPostContinueAsync(Guid id)
    {
        var refusal = await OpenAsync(id);
        if (refusal is not null)
        {
            return refusal;
        }

        if (!Step.Validate(Application.Answers, Rules, true).AddTo(this))
        {
            RowVersion = Application.RowVersion;
            return Page();
        }

        return Amending ? Redirect(AnswerPage) : RedirectToPage(StepPages.OfNext(NextStep), new { id });
    }

    /// <summary>While answering, documents can be added; the submitted ones can be removed only when ANSM named this section.</summary>
    public bool CanRemove => !Amending || OpenRequest!.AmendableSections.Contains(Step.Name);

    private static string SafeName(string name) => Path.GetFileName(name.Replace('\\', '/'));

}
