using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>Suspend, reinstate, withdraw or extend a granted derogation as a proposal: reasons and signatory; the letter follows the signature.</summary>
public sealed class MesureModel(Proposals proposals, DecisionService decisions, DerogationDbContext db, ProposalInputValidator rules, IStringLocalizer<SharedResource> l)
    : ProposalPage(proposals, decisions, db, rules, l)
{
    private readonly DerogationDbContext _db = db;

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
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        return await ProposeAsync(new ProposalInput(Act, null, Reasons, new DecisionConditions(), SignatoryId ?? Guid.Empty));
    }

    public async Task<IActionResult> OnPostPreviewAsync(string reference) =>
        await LoadAsync(reference) ? await PreviewAsync(new ProposalInput(Act, null, Reasons, new DecisionConditions(), SignatoryId ?? Guid.Empty)) : NotFound();

    private async Task<bool> ApplicableAsync() =>
        Kind == GrantMeasureKind.Extension ? await GrantMeasures.ExtensionAllowedAsync(_db, Application) : GrantMeasures.Applicable(Application.Status).Contains(Kind);
}
