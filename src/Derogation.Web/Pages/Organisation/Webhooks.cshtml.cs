using Derogation.Core.Notifications;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Organisation;

/// <summary>
/// The organisation's webhooks (docs/api.md § Webhooks), for its administrators: register an HTTPS endpoint (the signing
/// secret shown once), stop one, and read the log of the latest deliveries.
/// </summary>
public sealed class WebhooksModel(Webhooks webhooks, WebhookOptions options, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public string? Address { get; set; }

    public IReadOnlyList<WebhookEndpoint> Endpoints { get; private set; } = [];

    public IReadOnlyList<WebhookDelivery> Deliveries { get; private set; } = [];

    [TempData]
    public string? NewSecret { get; set; }

    [TempData]
    public string? Confirmation { get; set; }

    public async Task OnGetAsync()
    {
        Endpoints = await webhooks.EndpointsAsync(User.OrganisationIdOf());
        Deliveries = await webhooks.DeliveriesAsync(User.OrganisationIdOf());
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var (error, secret) = await webhooks.RegisterAsync(User.OrganisationIdOf(), User.UserId(), Address);
        if (error != WebhookError.None)
        {
            ModelState.AddModelError(nameof(Address), l["WebhookError" + error, Webhooks.MaxUrlLength].Value);
            await OnGetAsync();
            return Page();
        }

        NewSecret = secret;
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDisableAsync(Guid id)
    {
        if (!await webhooks.DisableAsync(User.OrganisationIdOf(), id, User.UserId()))
        {
            return NotFound();
        }

        Confirmation = l["WebhookDisabledConfirmation"].Value;
        return RedirectToPage();
    }

    public string State(WebhookDelivery delivery) =>
        delivery.DeliveredAt is not null ? l["WebhookDelivered"].Value
        : delivery.Attempts >= WebhookSender.MaxAttempts ? l["WebhookGivenUp"].Value
        : delivery.Attempts == 0 ? l["WebhookPending"].Value
        : l["WebhookRetrying"].Value;

    /// <summary>The last answer as people read it: the HTTP status, or what went wrong in words (never an exception's name).</summary>
    public string LastAnswer(WebhookDelivery delivery) => delivery.LastStatusCode is { } code ? $"HTTP {code}" : delivery.LastError switch
    {
        null => "—",
        "TaskCanceledException" => l["WebhookErrorTimeout"].Value,
        "AddressNotAllowed" => l["WebhookErrorAddressNotAllowed"].Value,
        "EndpointDisabled" => l["WebhookErrorEndpointDisabled"].Value,
        _ => l["WebhookErrorUnreachable"].Value,
    };

    public int MaxAttempts => WebhookSender.MaxAttempts;

    public bool InsecureLoopbackAllowed => options.AllowInsecureLoopback;
}
