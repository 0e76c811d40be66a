using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// A signed letter is never edited: it is rectified by a reasoned decision, proposed here and signed like any other.
/// For a grant's letter the conditions can be rectified too (the register and the case file then show them).
/// </summary>
public sealed class RectificationModel(Proposals proposals, DecisionService decisions, DerogationDbContext db, ProposalInputValidator rules, IStringLocalizer<SharedResource> l)
    : ProposalPage(proposals, decisions, db, rules, l)
{
    private readonly DerogationDbContext _db = db;
    private readonly DecisionService _decisions = decisions;

    [BindProperty(SupportsGet = true, Name = "lettre")]
    public Guid LetterId { get; set; }

    [BindProperty]
    public string? Correction { get; set; }

    [BindProperty]
    public DecisionConditions Conditions { get; set; } = new();

    /// <summary>The letter rectified: its kind, date and code.</summary>
    public (IssuedDocumentKind Kind, DateTimeOffset IssuedAt, string Code) Letter { get; private set; }

    /// <summary>The grant's own letter: its conditions may be rectified.</summary>
    public bool RectifiesGrant { get; private set; }

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadLetterAsync(reference))
        {
            return NotFound();
        }

        if (!MayPropose)
        {
            TempData["Message"] = L["ProposalErrorNotHolder"].Value;
            return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
        }

        var open = Open is { Act: ProposalAct.Rectification } o && o.RectifiesDocumentId == LetterId ? o : null;
        StartFrom(open);
        Correction = open?.Correction;
        Conditions = open?.Conditions ?? (RectifiesGrant ? (await _decisions.ForAsync(Application.Id))!.Conditions : new DecisionConditions());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadLetterAsync(reference))
        {
            return NotFound();
        }

        return await ProposeAsync(Input());
    }

    public async Task<IActionResult> OnPostPreviewAsync(string reference) =>
        await LoadLetterAsync(reference) ? await PreviewAsync(Input() with { SignatoryUserId = SignatoryId ?? Guid.Empty }) : NotFound();

    private Core.Review.ProposalInput Input() =>
        new(ProposalAct.Rectification, RectifiesGrant ? DecisionOutcome.Grant : null, Reasons, Conditions, SignatoryId ?? Guid.Empty, null, Correction, LetterId);

    protected override string FieldOf(ProposalError error) => error switch
    {
        ProposalError.CorrectionRequired => nameof(Correction),
        ProposalError.ValidityRequired or ProposalError.ValidityEndBeforeStart => "Conditions.ValidUntil",
        _ => base.FieldOf(error),
    };

    private async Task<bool> LoadLetterAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return false;
        }

        var letters = await Proposals.RectifiableLettersAsync(Application.Id);
        if (letters.FirstOrDefault(x => x.DocumentId == LetterId) is not { Code: not null } letter)
        {
            return false;
        }

        Letter = (letter.Kind, letter.IssuedAt, letter.Code);
        RectifiesGrant = await _db.Decisions.AnyAsync(d => d.ApplicationId == Application.Id && d.LetterDocumentId == LetterId && d.Outcome == DecisionOutcome.Grant);
        return true;
    }
}
