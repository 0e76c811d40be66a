using Derogation.Core.Data;
using Derogation.Core.Letters;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The decision as a proposal: grant, refuse or close without decision, always with reasons; a grant's conditions;
/// the signatory it goes to. Nothing is issued here: the signatory signs it (<see cref="SignatureModel"/>). While
/// information is requested, only a refusal or a closure can be proposed.
/// </summary>
public sealed class DecisionModel(Proposals proposals, DecisionService decisions, DerogationDbContext db, ProposalInputValidator rules, IStringLocalizer<SharedResource> l)
    : ProposalPage(proposals, decisions, db, rules, l)
{
    /// <summary>Others to receive a copy of the letter, one per line: "Name ; e-mail address".</summary>
    [BindProperty]
    public string? OtherRecipients { get; set; }

    [BindProperty]
    public DecisionOutcome? Outcome { get; set; }

    [BindProperty]
    public DecisionConditions Conditions { get; set; } = new();

    /// <summary>Criteria of the assessment grid still to fill in: a grant or a refusal waits for them.</summary>
    public int MissingCriteria { get; private set; }

    protected override async Task<bool> LoadAsync(string reference)
    {
        if (!await base.LoadAsync(reference))
        {
            return false;
        }

        MissingCriteria = (await Assessments.MissingAsync(Db, Application.Id, Application.Kind)).Count;
        return true;
    }

    /// <summary>The outcomes that apply now: no grant while information is requested.</summary>
    public IReadOnlyList<DecisionOutcome> Outcomes => Enum.GetValues<DecisionOutcome>().Where(o => Proposals.MayDecide(Application.Status, o)).ToList();

    public async Task<IActionResult> OnGetAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        if (!Proposals.MayDecide(Application.Status, null) || !MayPropose)
        {
            TempData["Message"] = L[MayPropose ? "ProposalErrorNotApplicable" : "ProposalErrorNotHolder"].Value;
            return RedirectToPage("/Instruction/Dossier", new { reference = Application.Reference });
        }

        var open = Open?.Act == ProposalAct.Decision ? Open : null;
        StartFrom(open);
        if (open is not null)
        {
            Outcome = open.Outcome;
            Conditions = open.Conditions;
            OtherRecipients = string.Join("\n", open.OtherRecipients.Select(r => $"{r.Name} ; {r.Email}"));
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string reference)
    {
        if (!await LoadAsync(reference))
        {
            return NotFound();
        }

        // Only the form's own reading is checked here; every rule on what it says is the service's (ProposeAsync).
        var recipients = ParseRecipients();
        if (recipients is null)
        {
            ModelState.AddModelError(nameof(OtherRecipients), L["DecisionRecipientsFormat"]);
        }

        return await ProposeAsync(new ProposalInput(ProposalAct.Decision, Outcome, Reasons, Conditions, SignatoryId ?? Guid.Empty, recipients ?? []));
    }

    public async Task<IActionResult> OnPostPreviewAsync(string reference) =>
        await LoadAsync(reference)
            ? await PreviewAsync(new ProposalInput(ProposalAct.Decision, Outcome ?? DecisionOutcome.Grant, Reasons, Conditions, SignatoryId ?? Guid.Empty, ParseRecipients() ?? []))
            : NotFound();

    protected override string FieldOf(ProposalError error) => error switch
    {
        ProposalError.OutcomeRequired or ProposalError.AssessmentIncomplete => nameof(Outcome),
        ProposalError.ValidityRequired or ProposalError.ValidityEndBeforeStart => "Conditions.ValidUntil",
        ProposalError.RecipientInvalid => nameof(OtherRecipients),
        _ => base.FieldOf(error),
    };

    /// <summary>One recipient per line, "Name ; e-mail"; null when a line does not read so.</summary>
    private List<LetterRecipient>? ParseRecipients()
    {
        var recipients = new List<LetterRecipient>();
        foreach (var line in (OtherRecipients ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = line.Split(';', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || !System.Net.Mail.MailAddress.TryCreate(parts[1], out _))
            {
                return null;
            }

            recipients.Add(new LetterRecipient(parts[0], parts[1]));
        }

        return recipients;
    }
}
