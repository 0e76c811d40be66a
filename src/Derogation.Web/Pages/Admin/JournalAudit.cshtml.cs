using Derogation.Core.Audit;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Admin;

/// <summary>
/// The audit trail's integrity: the latest verifications of its hash chain (daily, or asked for here), and the
/// timestamps that anchor its hashes, each token downloadable for verification outside the portal.
/// </summary>
public sealed class JournalAuditModel(AuditAnchoring anchoring, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<AuditVerification> Verifications { get; private set; } = [];

    public IReadOnlyList<AuditAnchor> Anchors { get; private set; } = [];

    public bool AnchoringConfigured => anchoring.AnchoringConfigured;

    [TempData]
    public string? Confirmation { get; set; }

    [TempData]
    public bool ConfirmationIsAlarm { get; set; }

    public async Task OnGetAsync()
    {
        Verifications = await anchoring.RecentVerificationsAsync();
        Anchors = await anchoring.RecentAnchorsAsync();
    }

    public async Task<IActionResult> OnPostVerifyAsync()
    {
        var verification = await anchoring.VerifyNowAsync(User.UserId());
        Confirmation = verification.FirstBrokenPosition is { } position
            ? l["AuditVerifiedBroken", position].Value
            : l["AuditVerifiedIntact", verification.EventsChecked].Value;
        ConfirmationIsAlarm = !verification.Intact;
        return RedirectToPage();
    }

    /// <summary>The DER-encoded RFC 3161 token, for <c>openssl ts -verify -token_in</c>.</summary>
    public async Task<IActionResult> OnGetTokenAsync(Guid id)
    {
        var anchor = await anchoring.AnchorAsync(id);
        return anchor is null
            ? NotFound()
            : File(anchor.Token, "application/timestamp-reply", $"ancrage-{anchor.ChainPosition}-{anchor.StampedAt:yyyyMMdd}.tsr");
    }
}
