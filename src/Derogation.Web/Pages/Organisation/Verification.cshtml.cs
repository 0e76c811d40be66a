using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Organisation;

/// <summary>
/// The organisation's administrator gives ANSM evidence that it exists (a company-register extract), so that an ANSM
/// administrator can verify it. Until then reviewers see "Organisation non vérifiée".
/// </summary>
public sealed class VerificationModel(
    OrganisationVerification verification, DerogationDbContext db, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    public Core.Organisations.Organisation Organisation { get; private set; } = null!;

    [BindProperty]
    public IFormFile? Evidence { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task<IActionResult> OnGetAsync() => await LoadAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await LoadAsync())
        {
            return NotFound();
        }

        if (Evidence is null || Evidence.Length == 0)
        {
            ModelState.AddModelError(nameof(Evidence), l[Evidence is null ? "EvidenceRequired" : "FileEmpty"]);
            return Page();
        }

        if (Evidence.Length > OrganisationVerification.MaxEvidenceBytes)
        {
            ModelState.AddModelError(nameof(Evidence), l["EvidenceTooLarge", OrganisationVerification.MaxEvidenceBytes / 1024 / 1024]);
            return Page();
        }

        using var content = new MemoryStream((int)Evidence.Length);
        await using (var stream = Evidence.OpenReadStream())
        {
            await stream.CopyToAsync(content, HttpContext.RequestAborted);
        }

        if (await verification.SubmitEvidenceAsync(Organisation.Id, Evidence.FileName, content, User.UserId(), HttpContext.RequestAborted) is { } refusal)
        {
            ModelState.AddModelError(nameof(Evidence), Applications.UploadErrors.Message(l, refusal, documentOptions));
            return Page();
        }

        Confirmation = l["EvidenceSubmitted"].Value;
        return RedirectToPage("/Organisation/Verification");
    }

    private async Task<bool> LoadAsync()
    {
        var id = User.OrganisationIdOf();
        var organisation = await db.Organisations.AsNoTracking().Where(o => o.Id == id && o.Kind != OrganisationKind.Ansm)
            .Select(o => new Core.Organisations.Organisation
            {
                Id = o.Id, Kind = o.Kind, LegalName = o.LegalName, Address = o.Address, Country = o.Country, EudamedSrn = o.EudamedSrn,
                VerifiedAt = o.VerifiedAt, EvidenceFileName = o.EvidenceFileName, EvidenceSubmittedAt = o.EvidenceSubmittedAt,
            }).SingleOrDefaultAsync();
        if (organisation is null)
        {
            return false;
        }

        Organisation = organisation;
        return true;
    }
}
