using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages.Instruction;

/// <summary>"À signer": the proposals waiting for a signature — vital emergencies on top, then oldest first. Signatories only.</summary>
public sealed class SignaturesModel(Proposals proposals) : PageModel
{
    public IReadOnlyList<ProposalToSign> Waiting { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (!User.IsInRole(Roles.Signatory))
        {
            return NotFound();
        }

        Waiting = await proposals.WaitingAsync(User.UserId());
        return Page();
    }
}
