using Derogation.Core.Accounts;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Compte;

/// <summary>
/// A filer's personal access tokens for the API (docs/api.md): named, read or read-write, with an expiry date,
/// revocable; the secret is shown once, right after creation, and never again.
/// </summary>
public sealed class JetonsModel(ApiTokens tokens, TimeProvider clock, IStringLocalizer<SharedResource> l) : PageModel
{
    public sealed class TokenInput
    {
        public string? Name { get; set; }
        /// <summary>"read" or "write"; anything else is read.</summary>
        public string? Scope { get; set; } = "read";
        public DateOnly? ExpiresOn { get; set; }
    }

    [BindProperty]
    public TokenInput Input { get; set; } = new();

    public IReadOnlyList<ApiToken> Tokens { get; private set; } = [];

    /// <summary>The secret just created: shown on this response only (TempData is read once, in an encrypted cookie).</summary>
    [TempData]
    public string? NewSecret { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public DateTimeOffset Now => clock.GetUtcNow();

    public IEnumerable<(string Value, string Label)> Scopes =>
        [("read", l["ApiScopeRead"].Value), ("write", l["ApiScopeWrite"].Value)];

    public async Task OnGetAsync()
    {
        Input.ExpiresOn ??= Derogation.Core.FrenchTime.Today(clock).AddDays(90);
        Tokens = await tokens.ForUserAsync(User.UserId());
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var canWrite = Input.Scope == "write";
        var (error, secret) = await tokens.CreateAsync(User.UserId(), User.OrganisationIdOf(), Input.Name, canWrite, ModelState.IsValid ? Input.ExpiresOn : null);
        if (error != ApiTokenError.None)
        {
            var field = error is ApiTokenError.NameMissing or ApiTokenError.NameTooLong ? "Input.Name" : "Input.ExpiresOn";
            if (ModelState[field]?.Errors.Count is not > 0)
            {
                ModelState.AddModelError(field, l["ApiTokenError" + error, ApiTokens.MaxNameLength, ApiTokens.MaxDays].Value);
            }

            Tokens = await tokens.ForUserAsync(User.UserId());
            return Page();
        }

        NewSecret = secret;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        if (!await tokens.RevokeAsync(id, User.UserId()))
        {
            return NotFound();
        }

        Confirmation = l["ApiTokenRevoked"].Value;
        return RedirectToPage();
    }
}
