using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.Pkcs;
using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Audit;

/// <summary>Configuration section "AuditAnchoring".</summary>
public sealed class AuditAnchoringOptions
{
    /// <summary>The RFC 3161 timestamp authority the day's last hash is sent to (none: the chain is verified, not anchored).</summary>
    public string? TimestampAuthorityUrl { get; set; }

    /// <summary>Who is told when the chain is found broken (besides every ANSM administrator).</summary>
    public string? AlertEmail { get; set; }

    /// <summary>How often the background job looks whether today's verification has run.</summary>
    public int CheckEveryMinutes { get; set; } = 60;

    /// <summary>Off in the tests, which run the job themselves.</summary>
    public bool RunInBackground { get; set; } = true;
}

/// <summary>One verification of the whole chain: how far it went and where it broke, if it did.</summary>
public sealed class AuditVerification
{
    public Guid Id { get; set; }
    public DateTimeOffset VerifiedAt { get; set; }
    public long EventsChecked { get; set; }
    public long? LastPosition { get; set; }
    public string? LastHash { get; set; }
    /// <summary>The first event whose hash does not match; null when the chain is intact.</summary>
    public long? FirstBrokenPosition { get; set; }
    /// <summary>The administrator who asked for it; null for the daily run.</summary>
    public Guid? RequestedByUserId { get; set; }

    public bool Intact => FirstBrokenPosition is null;
}

/// <summary>
/// A hash of the chain timestamped by an outside authority: the DER-encoded RFC 3161 token (a CMS SignedData whose
/// message imprint is the chain hash itself — already a SHA-256), verifiable with <c>openssl ts -verify -digest</c>.
/// </summary>
public sealed class AuditAnchor
{
    public Guid Id { get; set; }
    /// <summary>The time the authority certifies (its genTime).</summary>
    public DateTimeOffset StampedAt { get; set; }
    public long ChainPosition { get; set; }
    public required string Hash { get; set; }
    public required string Authority { get; set; }
    public required byte[] Token { get; set; }
}

internal sealed class AuditVerificationConfiguration : IEntityTypeConfiguration<AuditVerification>
{
    public void Configure(EntityTypeBuilder<AuditVerification> builder)
    {
        builder.ToTable("audit_verifications");
        builder.HasKey(v => v.Id);
        builder.Property(v => v.LastHash).HasMaxLength(64);
        builder.Ignore(v => v.Intact);
        builder.HasIndex(v => v.VerifiedAt);
    }
}

internal sealed class AuditAnchorConfiguration : IEntityTypeConfiguration<AuditAnchor>
{
    public void Configure(EntityTypeBuilder<AuditAnchor> builder)
    {
        builder.ToTable("audit_anchors");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Hash).HasMaxLength(64);
        builder.Property(a => a.Authority).HasMaxLength(300);
        builder.HasIndex(a => a.StampedAt);
    }
}

/// <summary>
/// Verifies the audit chain every day (and when an administrator asks), tells the administrators when it is broken,
/// and anchors the last hash with a timestamp from an outside authority, so that even someone able to rewrite the
/// whole table and recompute every hash cannot make it match the anchors already issued.
/// </summary>
public sealed class AuditAnchoring(DerogationDbContext db, AuditAnchoringOptions options, TimeProvider clock, HttpClient http)
{
    /// <summary>Serialises the daily run across portal instances (held for its transaction only).</summary>
    private const long DailyRunLock = 4427655367326574;

    /// <summary>
    /// Today's run (Paris date), once whatever the instances: verifies, and anchors when the chain is intact.
    /// Returns null when it had already run today.
    /// </summary>
    public async Task<AuditVerification?> RunDailyAsync(CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var locked = await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_xact_lock({DailyRunLock}) AS \"Value\"").SingleAsync(cancellationToken);
        if (!locked)
        {
            return null;
        }

        var startOfToday = FrenchTime.StartOfDay(FrenchTime.Today(clock));
        var done = await db.AuditVerifications.AsNoTracking().Where(v => v.RequestedByUserId == null && v.VerifiedAt >= startOfToday)
            .OrderByDescending(v => v.VerifiedAt).FirstOrDefaultAsync(cancellationToken);
        if (done is not null)
        {
            // Verified today already; the anchoring is tried again if the authority could not be reached then.
            await transaction.CommitAsync(cancellationToken);
            if (done.Intact && done.LastHash is not null)
            {
                await AnchorAsync(done, cancellationToken);
            }

            return null;
        }

        var verification = await VerifyInTransactionAsync(null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (verification.Intact && verification.LastHash is not null)
        {
            await AnchorAsync(verification, cancellationToken);
        }

        return verification;
    }

    /// <summary>A verification an administrator asked for (recorded with their name; no anchoring).</summary>
    public async Task<AuditVerification> VerifyNowAsync(Guid administratorId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var verification = await VerifyInTransactionAsync(administratorId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return verification;
    }

    /// <summary>The latest verification, scheduled or asked for (what /health/ready reports).</summary>
    public Task<AuditVerification?> LatestAsync(CancellationToken cancellationToken = default) =>
        db.AuditVerifications.AsNoTracking().OrderByDescending(v => v.VerifiedAt).FirstOrDefaultAsync(cancellationToken);

    public async Task<IReadOnlyList<AuditVerification>> RecentVerificationsAsync(int count = 30) =>
        await db.AuditVerifications.AsNoTracking().OrderByDescending(v => v.VerifiedAt).Take(count).ToListAsync();

    public async Task<IReadOnlyList<AuditAnchor>> RecentAnchorsAsync(int count = 30) =>
        await db.AuditAnchors.AsNoTracking().OrderByDescending(a => a.StampedAt).Take(count).ToListAsync();

    public Task<AuditAnchor?> AnchorAsync(Guid id) => db.AuditAnchors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id);

    public bool AnchoringConfigured => !string.IsNullOrWhiteSpace(options.TimestampAuthorityUrl);

    private async Task<AuditVerification> VerifyInTransactionAsync(Guid? requestedBy, CancellationToken cancellationToken)
    {
        var last = await db.AuditEvents.AsNoTracking().OrderByDescending(e => e.ChainPosition)
            .Select(e => new { e.ChainPosition, e.Hash }).FirstOrDefaultAsync(cancellationToken);
        var firstBroken = await new AuditChain(db).FirstBrokenAsync();
        var previous = await LatestAsync(cancellationToken);
        var verification = new AuditVerification
        {
            Id = Guid.NewGuid(),
            VerifiedAt = clock.GetUtcNow(),
            EventsChecked = await db.AuditEvents.LongCountAsync(cancellationToken),
            LastPosition = last?.ChainPosition,
            LastHash = last?.Hash,
            FirstBrokenPosition = firstBroken,
            RequestedByUserId = requestedBy,
        };
        db.AuditVerifications.Add(verification);

        // Told once per break: again only if a later verification finds it broken somewhere else.
        if (firstBroken is not null && previous?.FirstBrokenPosition != firstBroken)
        {
            await AlertAsync(firstBroken.Value, verification.VerifiedAt);
        }

        await db.SaveChangesAsync(cancellationToken);
        return verification;
    }

    private async Task AlertAsync(long position, DateTimeOffset at)
    {
        var recipients = await (
            from user in db.Users
            join userRole in db.UserRoles on user.Id equals userRole.UserId
            join role in db.Roles on userRole.RoleId equals role.Id
            where role.Name == Roles.Administrator && user.EmailConfirmed && user.Email != null
            select user.Email!).ToListAsync();
        if (!string.IsNullOrWhiteSpace(options.AlertEmail))
        {
            recipients.Add(options.AlertEmail);
        }

        var when = FrenchTime.InParis(at).ToString("dd/MM/yyyy HH:mm", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var recipient in recipients.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            // Positions and times only: the events' content stays in the portal.
            db.Enqueue(clock, recipient, CoreText.French("AuditBrokenSubject"), CoreText.French("AuditBrokenBody", position, when), "AuditChainBroken");
        }
    }

    /// <summary>Asks the authority for a timestamp over the verified last hash (unless it is already anchored) and keeps the token.</summary>
    private async Task AnchorAsync(AuditVerification verification, CancellationToken cancellationToken)
    {
        if (!AnchoringConfigured || await db.AuditAnchors.AnyAsync(a => a.Hash == verification.LastHash, cancellationToken))
        {
            return;
        }

        var hash = Convert.FromHexString(verification.LastHash!);
        var request = Rfc3161TimestampRequest.CreateFromHash(hash, HashAlgorithmName.SHA256, nonce: RandomNumberGenerator.GetBytes(16), requestSignerCertificates: true);
        using var content = new ByteArrayContent(request.Encode());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/timestamp-query");
        using var response = await http.PostAsync(options.TimestampAuthorityUrl, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        var reply = await response.Content.ReadAsByteArrayAsync(cancellationToken);

        // Checks the reply answers this request (imprint, nonce) and that its signature holds before keeping it.
        var token = request.ProcessResponse(reply, out _);
        if (!token.VerifySignatureForHash(hash, HashAlgorithmName.SHA256, out _))
        {
            throw new CryptographicException("The timestamp authority's signature does not verify.");
        }

        db.AuditAnchors.Add(new AuditAnchor
        {
            Id = Guid.NewGuid(),
            StampedAt = token.TokenInfo.Timestamp,
            ChainPosition = verification.LastPosition!.Value,
            Hash = verification.LastHash!,
            Authority = new Uri(options.TimestampAuthorityUrl!).GetLeftPart(UriPartial.Path),
            Token = token.AsSignedCms().Encode(),
        });
        await db.SaveChangesAsync(cancellationToken);
    }
}
