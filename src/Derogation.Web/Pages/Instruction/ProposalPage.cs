using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// What the decision, measure and rectification pages share: the reviewer prepares a proposal for a signatory;
/// <see cref="Proposals"/> checks every rule again (who holds the case, what applies, that the proposal was not
/// returned or changed meanwhile), and whatever was typed is kept when it refuses.
/// </summary>
public abstract class ProposalPage(Proposals proposals, DecisionService decisions, DerogationDbContext db, ProposalInputValidator rules, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Reasons { get; set; }

    [BindProperty]
    public Guid? SignatoryId { get; set; }

    /// <summary>The revision of the open proposal this form was opened on (none: a new proposal).</summary>
    [BindProperty]
    public int? Revision { get; set; }

    public Application Application { get; private set; } = null!;

    public IEnumerable<(string, string)> Signatories { get; private set; } = [];

    /// <summary>The proposal not yet signed, if any: a returned one shows the signatory's comment.</summary>
    public Proposal? Open { get; private set; }

    protected Proposals Proposals => proposals;

    protected DerogationDbContext Db => db;

    protected IStringLocalizer<SharedResource> L => l;

    /// <summary>Loads the case for a reviewer (404 for anyone else); the signatories offered never include the reviewer.</summary>
    protected virtual async Task<bool> LoadAsync(string reference)
    {
        if (await db.FindForReviewerAsync(User, reference) is not { } application)
        {
            return false;
        }

        Application = application;
        var me = User.UserId().ToString();
        Signatories = (await decisions.SignatoryChoicesAsync()).Where(s => s.Item1 != me).ToList();
        Open = await proposals.OpenAsync(application.Id);
        return true;
    }

    /// <summary>A GET opens the form on the open proposal's text when it is of the same act.</summary>
    protected void StartFrom(Proposal? open)
    {
        Revision = Open?.Revision;
        if (open is null)
        {
            return;
        }

        Reasons = open.Reasons;
        SignatoryId = open.SignatoryUserId;
    }

    /// <summary>Whether the signed-in reviewer may prepare proposals on this case (the service decides again).</summary>
    protected bool MayPropose => User.IsInRole(Core.Organisations.Roles.SeniorReviewer) || Application.AssignedReviewerId == User.UserId();

    /// <summary>
    /// Checks <paramref name="input"/> with the service's own rules (<see cref="ProposalInputValidator"/>), every failure
    /// beside its field at once together with what the page itself could not read, then proposes it.
    /// </summary>
    protected async Task<IActionResult> ProposeAsync(ProposalInput input)
    {
        foreach (var failure in rules.Validate(input).Errors)
        {
            ModelState.AddModelError(FieldOf(Enum.Parse<ProposalError>(failure.ErrorCode)), failure.ErrorMessage);
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var (error, proposal) = await proposals.ProposeAsync(Application.Reference!, input, User.UserId(), Revision);
        if (error == ProposalError.None)
        {
            var signatory = Signatories.FirstOrDefault(s => s.Item1 == proposal!.SignatoryUserId.ToString()).Item2;
            TempData["Message"] = l["ProposalSent", signatory ?? ""].Value;
            return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
        }

        if (error == ProposalError.NotFound)
        {
            return NotFound();
        }

        ModelState.AddModelError(FieldOf(error), l["ProposalError" + error]);
        return Page();
    }

    protected virtual string FieldOf(ProposalError error) => error switch
    {
        ProposalError.ReasonsRequired or ProposalError.TooLong => nameof(Reasons),
        ProposalError.NotASignatory or ProposalError.OwnProposal => nameof(SignatoryId),
        ProposalError.MaxPatientsInvalid => "Conditions.MaxPatients",
        _ => "",
    };

    /// <summary>The letter exactly as it would be issued from what is typed, marked "PROJET"; nothing is saved.</summary>
    protected async Task<IActionResult> PreviewAsync(ProposalInput input)
    {
        var pdf = await proposals.PreviewAsync(Application.Reference!, input);
        // Shown in the browser's own PDF viewer (the button opens a new tab), not downloaded into a blank one.
        return pdf is null ? NotFound() : File(pdf, "application/pdf");
    }
}
