using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// Suspend, reinstate, withdraw, extend a granted derogation or amend its conditions, as a proposal: reasons, signatory
/// and, for an amendment, the conditions as they will stand (the validity is not amended); the letter follows the signature.
/// </summary>
public sealed class MesureModel(Proposals proposals, DecisionService decisions, DerogationDbContext db, ProposalInputValidator rules, IStringLocalizer<SharedResource> l)
    : ProposalPage(proposals, decisions, db, rules, l)
{
    private readonly DerogationDbContext _db = db;
    private readonly DecisionService _decisions = decisions;

    /// <summary>For an amendment: the conditions as they will stand.</summary>
    [BindProperty]
    public DecisionConditions Conditions { get; set; } = new();

    /// <summary>For an amendment: the conditions in force, shown beside the form.</summary>
    public DecisionConditions? Current { get; private set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public GrantMeasureKind Kind { get; set; }

    private ProposalAct Act => Enum.Parse<ProposalAct>(Kind.ToString());

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference) || !await ApplicableAsync())
        {
            return NotFound();
        }

        if (!MayPropose)
        {
            TempData["Message"] = L["ProposalErrorNotHolder"].Value;
            return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
        }

        StartFrom(Open?.Act == Act ? Open : null);
        if (Kind == GrantMeasureKind.Amendment)
        {
            Conditions = Open?.Act == Act ? Open.Conditions : Current!;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        return await ProposeAsync(Input());
    }

    public async Task<IActionResult> OnPostPreviewAsync(string reference) =>
        await LoadAsync(reference) ? await PreviewAsync(Input()) : NotFound();

    protected override string FieldOf(ProposalError error) => error switch
    {
        ProposalError.NothingAmended => "Conditions.MaxPatients",
        _ => base.FieldOf(error),
    };

    /// <summary>Only an amendment carries conditions; whatever else was posted is not read.</summary>
    private ProposalInput Input() =>
        new(Act, null, Reasons, Kind == GrantMeasureKind.Amendment ? Conditions : new DecisionConditions(), SignatoryId ?? Guid.Empty);

    protected override async Task<bool> LoadAsync(string reference)
    {
        if (!await base.LoadAsync(reference))
        {
            return false;
        }

        Current = Kind == GrantMeasureKind.Amendment ? (await _decisions.ForAsync(Application.Id))?.Conditions : null;
        return true;
    }

    private async Task<bool> ApplicableAsync() =>
        Kind == GrantMeasureKind.Extension ? await GrantMeasures.ExtensionAllowedAsync(_db, Application) : GrantMeasures.Applicable(Application.Status).Contains(Kind);
}
