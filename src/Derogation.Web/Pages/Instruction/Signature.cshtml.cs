using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The signatory reads the proposal and the letter as it will be issued, then signs it with a fresh code from
/// their authenticator app — or returns it with a comment. Signatories only; the service checks everything again.
/// </summary>
public sealed class SignatureModel(
    Proposals proposals, DerogationDbContext db, UserManager<PortalUser> users, IWebHostEnvironment environment, IConfiguration configuration,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public int Revision { get; set; }

    /// <summary>The six digits shown by the authenticator app.</summary>
    [BindProperty]
    public string? Code { get; set; }

    [BindProperty]
    public string? Comment { get; set; }

    /// <summary>Ticked by the signatory when the manufacturer is not verified (shown only then).</summary>
    [BindProperty]
    public bool ConfirmUnverifiedManufacturer { get; set; }

    /// <summary>No ANSM administrator has verified the manufacturer the letter is addressed to.</summary>
    public bool ManufacturerUnverified => Application.Manufacturer is { VerifiedAt: null };

    public Application Application { get; private set; } = null!;

    public Proposal? Proposal { get; private set; }

    public string? ProposedBy { get; private set; }

    public string? AddressedTo { get; private set; }

    /// <summary>The signatory's own proposal: they may read it, never sign it.</summary>
    public bool IsOwn => Proposal?.ProposedByUserId == User.UserId();

    /// <summary>The signatory has an authenticator app: the code is asked for. Without one, only Development's demo bypass lets them sign.</summary>
    public bool AsksForCode { get; private set; }

    /// <summary>Development's demo accounts only: a signatory without an authenticator app may sign without a code.</summary>
    public bool DemoBypass => environment.IsDevelopment() && configuration.GetValue<bool>("Accounts:AllowAnsmWithoutTwoFactor");

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        Revision = Proposal?.Revision ?? 0;
        return Page();
    }

    public async Task<IActionResult> OnPostSignAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        // A missing code is refused by the service like a wrong one (ProposalError.InvalidCode), beside the field.
        var (error, signed) = await proposals.SignAsync(Application.Reference!, User.UserId(), Code, Revision, DemoBypass,
            ConfirmUnverifiedManufacturer);
        Code = null;
        ModelState.Remove(nameof(Code));
        return Outcome(error, signed is null ? null : l["ProposalSigned" + signed.Act].Value);
    }

    public async Task<IActionResult> OnPostReturnAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var error = await proposals.ReturnAsync(Application.Reference!, User.UserId(), Comment, Revision);
        return Outcome(error, l["ProposalReturnedDone"].Value);
    }

    /// <summary>The letter as it will be issued if signed now, marked "PROJET", in the browser's PDF viewer.</summary>
    public async Task<IActionResult> OnGetPreviewAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        var pdf = await proposals.PreviewOpenAsync(Application.Reference!, User.UserId());
        return pdf is null ? NotFound() : File(pdf, "application/pdf");
    }

    private IActionResult Outcome(ProposalError error, string? done)
    {
        switch (error)
        {
            case ProposalError.None:
                TempData["Message"] = done;
                return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
            case ProposalError.NotFound:
                return NotFound();
            case ProposalError.ChangedMeanwhile:
                // The page now shows the proposal as it stands; the signatory reads it again before acting.
                Revision = Proposal?.Revision ?? 0;
                ModelState.Remove(nameof(Revision));
                ModelState.AddModelError("", l["ProposalErrorChangedMeanwhileSignatory"]);
                return Page();
            default:
                ModelState.AddModelError(error switch
                {
                    ProposalError.InvalidCode => nameof(Code),
                    ProposalError.UnverifiedManufacturer => nameof(ConfirmUnverifiedManufacturer),
                    ProposalError.CommentRequired or ProposalError.TooLong => nameof(Comment),
                    _ => "",
                }, l["ProposalError" + error]);
                return Page();
        }
    }

    private async Task<bool> LoadAsync(string reference)
    {
        if (!User.IsInRole(Roles.Signatory))
        {
            return false;
        }

        var application = await db.Applications.AsNoTracking().Include(a => a.Manufacturer).FindVisibleAsync(reference, User.AsViewer());
        if (application?.Reference is null)
        {
            return false;
        }

        Application = application;
        Proposal = await proposals.OpenAsync(application.Id) is { State: ProposalState.Pending } pending ? pending : null;
        if (Proposal is not null)
        {
            var names = await db.Users.AsNoTracking().Where(u => u.Id == Proposal.ProposedByUserId || u.Id == Proposal.SignatoryUserId)
                .Select(u => new { u.Id, u.FullName }).ToListAsync();
            ProposedBy = names.FirstOrDefault(n => n.Id == Proposal.ProposedByUserId)?.FullName;
            AddressedTo = names.FirstOrDefault(n => n.Id == Proposal.SignatoryUserId)?.FullName;
        }

        AsksForCode = await users.GetTwoFactorEnabledAsync((await users.FindByIdAsync(User.UserId().ToString()))!);
        return true;
    }
}
