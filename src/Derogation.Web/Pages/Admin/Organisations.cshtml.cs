using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Admin;

/// <summary>Self-registered organisations waiting to be verified: their details, the SRN's format, their evidence.</summary>
public sealed class OrganisationsModel(OrganisationVerification verification, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    public List<Core.Organisations.Organisation> Unverified { get; private set; } = [];

    [TempData]
    public string? Confirmation { get; set; }

    public async Task OnGetAsync() => Unverified = await verification.UnverifiedAsync();

    public async Task<IActionResult> OnGetEvidenceAsync(Guid id)
    {
        var evidence = await db.OrganisationEvidence.AsNoTracking().Where(e => e.OrganisationId == id)
            .Join(db.Organisations, e => e.OrganisationId, o => o.Id, (e, o) => new { o.EvidenceFileName, EvidenceContent = e.Content }).SingleOrDefaultAsync();
        if (evidence is null)
        {
            return NotFound();
        }

        var format = Core.Documents.FileSignature.Detect(new MemoryStream(evidence.EvidenceContent!));
        return File(evidence.EvidenceContent!, format is null ? "application/octet-stream" : Core.Documents.FileSignature.ContentTypes[format.Value], evidence.EvidenceFileName);
    }

    public async Task<IActionResult> OnPostVerifyAsync(Guid id)
    {
        switch (await verification.VerifyAsync(id, User.UserId()))
        {
            case VerificationError.None:
                Confirmation = l["OrganisationVerifiedConfirmation"].Value;
                return RedirectToPage();
            case VerificationError.NoEvidence:
                ModelState.AddModelError("", l["OrganisationVerifyNoEvidence"]);
                Unverified = await verification.UnverifiedAsync();
                return Page();
            default:
                return NotFound();
        }
    }
}
