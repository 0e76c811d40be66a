using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Notifications;

/// <summary>Configuration section "Webhooks".</summary>
public sealed class WebhookOptions
{
    /// <summary>The first retry after a failure, doubled at each attempt up to an hour (default a minute).</summary>
    public int RetryBaseSeconds { get; set; } = 60;

    /// <summary>How often the sender looks for due deliveries.</summary>
    public int PollSeconds { get; set; } = 5;

    /// <summary>Tests only: a receiver on this machine over plain HTTP. Otherwise HTTPS to a public address, always.</summary>
    public bool AllowInsecureLoopback { get; set; }

    public bool RunInBackground { get; set; } = true;
}

/// <summary>An organisation's HTTPS endpoint, told of every status change of its applications.</summary>
public sealed class WebhookEndpoint
{
    public Guid Id { get; set; }
    public Guid OrganisationId { get; set; }
    public required string Url { get; set; }
    /// <summary>The HMAC key the deliveries are signed with; kept to sign, shown once to the organisation.</summary>
    public required string Secret { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>One status change to deliver to one endpoint, and how its delivery went.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid EndpointId { get; set; }
    public Guid ApplicationId { get; set; }
    public string? Reference { get; set; }
    public required string FromStatus { get; set; }
    public required string ToStatus { get; set; }
    /// <summary>The JSON body, exactly as signed and sent (references and statuses only).</summary>
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    /// <summary>The kind of the last failure (an exception type or "HTTP 500"), never a response body.</summary>
    public string? LastError { get; set; }
}

internal sealed class WebhookEndpointConfiguration : IEntityTypeConfiguration<WebhookEndpoint>
{
    public void Configure(EntityTypeBuilder<WebhookEndpoint> builder)
    {
        builder.ToTable("webhook_endpoints");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Url).HasMaxLength(Webhooks.MaxUrlLength);
        builder.Property(e => e.Secret).HasMaxLength(100);
        builder.HasIndex(e => e.OrganisationId);
        builder.HasOne<Organisation>().WithMany().HasForeignKey(e => e.OrganisationId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> builder)
    {
        builder.ToTable("webhook_deliveries");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Reference).HasMaxLength(20);
        builder.Property(d => d.FromStatus).HasMaxLength(30);
        builder.Property(d => d.ToStatus).HasMaxLength(30);
        builder.Property(d => d.LastError).HasMaxLength(200);
        builder.HasIndex(d => new { d.EndpointId, d.CreatedAt });
        builder.HasIndex(d => d.NextAttemptAt).HasFilter("delivered_at IS NULL");
        builder.HasOne<WebhookEndpoint>().WithMany().HasForeignKey(d => d.EndpointId).OnDelete(DeleteBehavior.Cascade);
    }
}

public enum WebhookError
{
    None,
    UrlMissing,
    UrlInvalid,
    UrlNotHttps,
    UrlTooLong,
}

/// <summary>
/// Registering endpoints (docs/api.md § Webhooks), and queueing a delivery for each status change in the very
/// transaction that makes it (<see cref="QueueStatusChangesAsync"/>, called by <see cref="DerogationDbContext"/> when it
/// saves): a change rolled back is never announced, a change saved always is.
/// </summary>
public sealed class Webhooks(DerogationDbContext db, TimeProvider clock, WebhookOptions options)
{
    public const int MaxUrlLength = 500;
    public const string SecretPrefix = "whsec_";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<(WebhookError Error, string? Secret)> RegisterAsync(Guid organisationId, Guid userId, string? url)
    {
        var error = Check(url, options.AllowInsecureLoopback);
        if (error != WebhookError.None)
        {
            return (error, null);
        }

        var endpoint = new WebhookEndpoint
        {
            Id = Guid.NewGuid(), OrganisationId = organisationId, Url = url!.Trim(), Secret = SecretPrefix + SecretTokens.New(),
            CreatedAt = clock.GetUtcNow(), CreatedByUserId = userId,
        };
        db.WebhookEndpoints.Add(endpoint);
        db.Record(clock, AuditActions.WebhookRegistered, userId, nameof(WebhookEndpoint), endpoint.Id.ToString());
        await db.SaveChangesAsync();
        return (WebhookError.None, endpoint.Secret);
    }

    public static WebhookError Check(string? url, bool allowInsecureLoopback)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return WebhookError.UrlMissing;
        }

        if (url.Trim().Length > MaxUrlLength)
        {
            return WebhookError.UrlTooLong;
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host) || uri.UserInfo.Length > 0)
        {
            return WebhookError.UrlInvalid;
        }

        return uri.Scheme == "https" || (allowInsecureLoopback && uri.IsLoopback) ? WebhookError.None : WebhookError.UrlNotHttps;
    }

    public Task<List<WebhookEndpoint>> EndpointsAsync(Guid organisationId) =>
        db.WebhookEndpoints.AsNoTracking().Where(e => e.OrganisationId == organisationId).OrderBy(e => e.CreatedAt).ToListAsync();

    public Task<List<WebhookDelivery>> DeliveriesAsync(Guid organisationId, int count = 50) =>
        db.WebhookDeliveries.AsNoTracking()
            .Where(d => db.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.OrganisationId == organisationId))
            .OrderByDescending(d => d.CreatedAt).Take(count).ToListAsync();

    /// <summary>Stops deliveries to an endpoint of this organisation (its log stays). False when it is not theirs.</summary>
    public async Task<bool> DisableAsync(Guid organisationId, Guid endpointId, Guid userId)
    {
        var endpoint = await db.WebhookEndpoints.SingleOrDefaultAsync(e => e.Id == endpointId && e.OrganisationId == organisationId);
        if (endpoint is null)
        {
            return false;
        }

        if (endpoint.DisabledAt is null)
        {
            endpoint.DisabledAt = clock.GetUtcNow();
            db.Record(clock, AuditActions.WebhookDisabled, userId, nameof(WebhookEndpoint), endpoint.Id.ToString());
            await db.SaveChangesAsync();
        }

        return true;
    }

    /// <summary>
    /// Adds a delivery for every application whose status this unit of work changes, to every active endpoint of the
    /// filing organisation and of the manufacturer. Reads the endpoints only when a status changes.
    /// </summary>
    public static async Task QueueStatusChangesAsync(DerogationDbContext db, CancellationToken cancellationToken)
    {
        var changes = db.ChangeTracker.Entries<Application>()
            .Where(e => e.State == EntityState.Modified && e.Property(a => a.Status).IsModified
                && !Equals(e.Property(a => a.Status).OriginalValue, e.Property(a => a.Status).CurrentValue))
            .Select(e => (Application: e.Entity, From: e.Property(a => a.Status).OriginalValue))
            .ToList();
        if (changes.Count == 0)
        {
            return;
        }

        var organisations = changes.SelectMany(c => new[] { c.Application.FilingOrganisationId, c.Application.ManufacturerId ?? Guid.Empty }).Distinct().ToList();
        var endpoints = await db.WebhookEndpoints.AsNoTracking()
            .Where(e => organisations.Contains(e.OrganisationId) && e.DisabledAt == null).ToListAsync(cancellationToken);
        var now = DateTimeOffset.UtcNow;
        foreach (var (application, from) in changes)
        {
            foreach (var endpoint in endpoints.Where(e => e.OrganisationId == application.FilingOrganisationId || e.OrganisationId == application.ManufacturerId))
            {
                var id = Guid.NewGuid();
                var payload = JsonSerializer.Serialize(new
                {
                    id,
                    type = "application.status_changed",
                    occurredAt = now,
                    application = new
                    {
                        id = application.Id,
                        reference = application.Reference,
                        kind = application.Kind.ToString(),
                        previousStatus = from.ToString(),
                        status = application.Status.ToString(),
                    },
                }, Json);
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    Id = id, EndpointId = endpoint.Id, ApplicationId = application.Id, Reference = application.Reference,
                    FromStatus = from.ToString(), ToStatus = application.Status.ToString(), Payload = payload,
                    CreatedAt = now, NextAttemptAt = now,
                });
            }
        }
    }

    /// <summary>The signature a receiver recomputes: HMAC-SHA256 with the endpoint's secret over "{timestamp}.{body}", hex.</summary>
    public static string Sign(string secret, long timestamp, string body) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}")));
}

/// <summary>
/// Delivers what is due, each delivery once: claimed with FOR UPDATE SKIP LOCKED in its own transaction (several
/// instances never send the same one), POSTed with its signature, marked delivered on a 2xx, else retried after 1, 2,
/// 4 … times <see cref="WebhookOptions.RetryBaseSeconds"/> (at most an hour), ten attempts in all.
/// </summary>
public sealed class WebhookSender(DerogationDbContext db, HttpClient http, TimeProvider clock, WebhookOptions options)
{
    public const int MaxAttempts = 10;
    public const string SignatureHeader = "X-Derogation-Signature";
    public const string TimestampHeader = "X-Derogation-Timestamp";
    public const string DeliveryHeader = "X-Derogation-Delivery";

    public Task<int> SendDueAsync(int limit = 50, CancellationToken cancellationToken = default) =>
        DueWork.DrainAsync(SendOneAsync, limit, cancellationToken);

    private async Task<bool?> SendOneAsync(CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var delivery = await db.WebhookDeliveries
            .FromSql($"SELECT * FROM webhook_deliveries WHERE delivered_at IS NULL AND attempts < {MaxAttempts} AND next_attempt_at <= {now} ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED")
            .SingleOrDefaultAsync(cancellationToken);
        if (delivery is null)
        {
            return null;
        }

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(e => e.Id == delivery.EndpointId, cancellationToken);
        delivery.Attempts++;
        bool delivered;
        if (endpoint.DisabledAt is not null)
        {
            // Disabled since: given up, said in the log.
            delivery.Attempts = MaxAttempts;
            delivery.LastError = "EndpointDisabled";
            delivered = false;
        }
        else
        {
            delivered = await PostAsync(endpoint, delivery, cancellationToken);
        }

        if (delivered)
        {
            delivery.DeliveredAt = clock.GetUtcNow();
            delivery.LastError = null;
        }
        else if (delivery.Attempts < MaxAttempts)
        {
            delivery.NextAttemptAt = clock.GetUtcNow().AddSeconds(Math.Min(3600, options.RetryBaseSeconds * Math.Pow(2, delivery.Attempts - 1)));
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return delivered;
    }

    private async Task<bool> PostAsync(WebhookEndpoint endpoint, WebhookDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            var uri = new Uri(endpoint.Url);
            if (!await IsAllowedAsync(uri, cancellationToken))
            {
                delivery.LastError = "AddressNotAllowed";
                delivery.LastStatusCode = null;
                return false;
            }

            var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
            using var request = new HttpRequestMessage(HttpMethod.Post, uri)
            {
                Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
            };
            request.Headers.Add(TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add(SignatureHeader, "sha256=" + Webhooks.Sign(endpoint.Secret, timestamp, delivery.Payload));
            request.Headers.Add(DeliveryHeader, delivery.Id.ToString());
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            delivery.LastStatusCode = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return true;
            }

            delivery.LastError = $"HTTP {(int)response.StatusCode}";
            return false;
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or SocketException or UriFormatException)
        {
            delivery.LastStatusCode = null;
            delivery.LastError = exception.GetType().Name;
            return false;
        }
    }

    /// <summary>
    /// Not to the portal's own network: an endpoint whose name resolves to a private, loopback or link-local address is
    /// refused at each delivery (a name may be re-pointed after registration) — unless loopback is allowed for tests.
    /// </summary>
    private async Task<bool> IsAllowedAsync(Uri uri, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(uri.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(uri.Host, cancellationToken);
        return addresses.Length > 0 && addresses.All(address =>
            (options.AllowInsecureLoopback && IPAddress.IsLoopback(address)) || IsPublic(address));
    }

    private static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal || address.IsIPv6Multicast)
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        return address.AddressFamily != AddressFamily.InterNetwork || !(
            bytes[0] == 10 || bytes[0] == 0 || bytes[0] == 127 || (bytes[0] == 169 && bytes[1] == 254) || (bytes[0] == 172 && bytes[1] >= 16 && bytes[1] <= 31)
            || (bytes[0] == 192 && bytes[1] == 168) || (bytes[0] == 100 && bytes[1] >= 64 && bytes[1] <= 127) || bytes[0] >= 224);
    }
}
