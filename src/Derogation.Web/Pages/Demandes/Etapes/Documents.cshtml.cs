using Derogation.Core.Applications;
using Derogation.Core.Documents;
using Derogation.Web.Accounts;
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

    [BindProperty]
    public IFormFile? Upload { get; set; }

    [BindProperty]
    public uint? RowVersion { get; set; }

    protected override string Slug => "documents";

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

        if (Upload is null)
        {
            ModelState.AddModelError(nameof(Upload), l["DocumentFileRequired"]);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        await using var content = Upload!.OpenReadStream();
        UploadError error;
        try
        {
            (error, _) = await store.AddAsync(Application, type, Upload.FileName, content, Anonymised, RowVersion, HttpContext.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            ModelState.AddModelError("", l["DraftChangedElsewhere"]);
            return Page();
        }

        if (error != UploadError.None)
        {
            ModelState.AddModelError(error == UploadError.AnonymisationNotConfirmed ? nameof(Anonymised) : nameof(Upload), Derogation.Web.Applications.UploadErrors.Message(l, error, options));
            return Page();
        }

        Confirmation = l["DocumentAdded", SafeName(Upload.FileName)];
        return Redirect($"/demandes/{id}/{Step.Slug}");
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

        return await store.RemoveAsync(Application, document) ? Redirect($"/demandes/{id}/{Step.Slug}") : NotFound();
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

        return Redirect(Amending ? AnswerPage : $"/demandes/{id}/{NextStep?.Slug ?? WizardSteps.Summary}");
    }

    /// <summary>While answering, documents can be added; the submitted ones can be removed only when ANSM named this section.</summary>
    public bool CanRemove => !Amending || OpenRequest!.AmendableSections.Contains(Step.Slug);

    private static string SafeName(string name) => Path.GetFileName(name.Replace('\\', '/'));

}
