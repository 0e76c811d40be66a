using Derogation.Core.Issuing;
using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Audit;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Derogation.Core.Data;

/// <summary>The portal's one DbContext. The schema is built by the SQL scripts in Migrations/, never by EF.</summary>
public sealed class DerogationDbContext(DbContextOptions<DerogationDbContext> options)
    : IdentityDbContext<PortalUser, IdentityRole<Guid>, Guid>(options)
{
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Organisation> Organisations => Set<Organisation>();
    public DbSet<OrganisationEvidence> OrganisationEvidence => Set<OrganisationEvidence>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<Mandate> Mandates => Set<Mandate>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<AuditVerification> AuditVerifications => Set<AuditVerification>();
    public DbSet<AuditAnchor> AuditAnchors => Set<AuditAnchor>();
    public DbSet<Application> Applications => Set<Application>();
    public DbSet<Documents.DocumentChunk> DocumentChunks => Set<Documents.DocumentChunk>();
    public DbSet<ReferenceCounter> ReferenceCounters => Set<ReferenceCounter>();
    public DbSet<ApplicationVersion> ApplicationVersions => Set<ApplicationVersion>();
    public DbSet<IssuedDocument> IssuedDocuments => Set<IssuedDocument>();
    public DbSet<Review.Decision> Decisions => Set<Review.Decision>();
    public DbSet<Review.InternalNote> InternalNotes => Set<Review.InternalNote>();
    public DbSet<Review.InformationRequest> InformationRequests => Set<Review.InformationRequest>();
    public DbSet<Notifications.OutboxMessage> OutboxMessages => Set<Notifications.OutboxMessage>();
    public DbSet<LetterLink> LetterLinks => Set<LetterLink>();
    public DbSet<LetterWording> LetterWordings => Set<LetterWording>();
    public DbSet<Review.UsageDeclaration> UsageDeclarations => Set<Review.UsageDeclaration>();
    public DbSet<Review.GrantMeasure> GrantMeasures => Set<Review.GrantMeasure>();
    public DbSet<Review.ExpiryReminder> ExpiryReminders => Set<Review.ExpiryReminder>();
    public DbSet<Incidents.IncidentReport> IncidentReports => Set<Incidents.IncidentReport>();
    public DbSet<Review.AnnualRecap> AnnualRecaps => Set<Review.AnnualRecap>();
    public DbSet<Review.Proposal> Proposals => Set<Review.Proposal>();
    public DbSet<Review.AssessmentEntry> AssessmentEntries => Set<Review.AssessmentEntry>();
    public DbSet<Review.ExpertOpinion> ExpertOpinions => Set<Review.ExpertOpinion>();
    public DbSet<Review.CaseMessage> CaseMessages => Set<Review.CaseMessage>();
    public DbSet<Review.EuNotificationMark> EuNotificationMarks => Set<Review.EuNotificationMark>();
    public DbSet<Accounts.ApiToken> ApiTokens => Set<Accounts.ApiToken>();
    public DbSet<Notifications.WebhookEndpoint> WebhookEndpoints => Set<Notifications.WebhookEndpoint>();
    public DbSet<Notifications.WebhookDelivery> WebhookDeliveries => Set<Notifications.WebhookDelivery>();
    public DbSet<Applications.PrescriberInvitation> PrescriberInvitations => Set<Applications.PrescriberInvitation>();

    /// <summary>Every status change saved is announced to the organisations' webhooks in the same transaction.</summary>
    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        await Notifications.Webhooks.QueueStatusChangesAsync(this, cancellationToken);
        var (mayMoveBanner, mayChangeCallers) = RememberedThingsItMayChange();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            Forget(mayMoveBanner, mayChangeCallers);
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        Notifications.Webhooks.QueueStatusChangesAsync(this, CancellationToken.None).GetAwaiter().GetResult();
        var (mayMoveBanner, mayChangeCallers) = RememberedThingsItMayChange();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        finally
        {
            Forget(mayMoveBanner, mayChangeCallers);
        }
    }

    /// <summary>
    /// What this save may make the instance's memories wrong about: the ANSM pages' count of untaken vital emergencies
    /// (an application added, removed, or with its status, reviewer or urgency changed), and the API's callers (a
    /// token, an account, its roles or an organisation changed).
    /// </summary>
    private (bool Banner, bool Callers) RememberedThingsItMayChange()
    {
        // The webhooks have just detected the changes: not again (comparing the answers' JSON is not free).
        var detect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var banner = ChangeTracker.Entries<Application>().Any(e => e.State is EntityState.Added or EntityState.Deleted
                || (e.State == EntityState.Modified && (e.Property(a => a.Status).IsModified || e.Property(a => a.AssignedReviewerId).IsModified
                    || e.Property(a => a.Urgency).IsModified)));
            var callers = ChangeTracker.Entries().Any(e => e.State is EntityState.Added or EntityState.Deleted or EntityState.Modified
                && e.Entity is ApiToken or PortalUser or IdentityUserRole<Guid> or Organisation);
            return (banner, callers);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = detect;
        }
    }

    // Forgotten after the save (committed or not: forgetting costs one query), so the next request reads again.
    private void Forget(bool banner, bool callers)
    {
        if (banner)
        {
            ChangeCounters.Moved(ChangeCounters.VitalEmergencies, Database.GetConnectionString());
        }

        if (callers)
        {
            ChangeCounters.Moved(ChangeCounters.ApiCallers, Database.GetConnectionString());
        }
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.Entity<PortalUser>().ToTable("users");
        modelBuilder.Entity<IdentityRole<Guid>>().ToTable("roles");
        modelBuilder.Entity<IdentityUserRole<Guid>>().ToTable("user_roles");
        modelBuilder.Entity<IdentityUserClaim<Guid>>().ToTable("user_claims");
        modelBuilder.Entity<IdentityUserLogin<Guid>>().ToTable("user_logins");
        modelBuilder.Entity<IdentityUserToken<Guid>>().ToTable("user_tokens");
        modelBuilder.Entity<IdentityRoleClaim<Guid>>().ToTable("role_claims");
        // Identity names three indexes itself; the naming convention leaves explicit names alone, so they are given here
        // as the schema has always had them.
        modelBuilder.Entity<PortalUser>().HasIndex(u => u.NormalizedEmail).HasDatabaseName("email_index");
        modelBuilder.Entity<PortalUser>().HasIndex(u => u.NormalizedUserName).HasDatabaseName("user_name_index");
        modelBuilder.Entity<IdentityRole<Guid>>().HasIndex(r => r.NormalizedName).HasDatabaseName("role_name_index");
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(DerogationDbContext).Assembly);
    }

    /// <summary>
    /// How every DbContext of the portal is configured — the web host, the tests, the benchmark: PostgreSQL, and
    /// snake_case for every table, column, key and index (EFCore.NamingConventions), so hand-written SQL reads
    /// naturally and the migrations (docs/adr/0001) name what the model names.
    /// </summary>
    public static DbContextOptionsBuilder Configure(DbContextOptionsBuilder options, string connectionString) =>
        options.UseNpgsql(Tuned(connectionString)).UseSnakeCaseNamingConvention();

    /// <summary>
    /// The connection settings the portal's contexts run with, whatever the configured string says otherwise
    /// (docs/performance.md, "The database's share"). PostgreSQL parsed and planned every query afresh (the wizard's
    /// draft, four tables joined, on every step): Npgsql now prepares the statements a connection runs most (at most
    /// 64 per connection, unless the string sets its own number). And a connection going back to the pool is no
    /// longer reset (<c>DISCARD ALL</c>, which also drops those prepared statements): no context leaves session state
    /// on it — advisory locks are taken per transaction, no <c>SET</c>, no <c>LISTEN</c>, no temporary table; the
    /// migrator, which holds a session lock, opens its own connections from the configured string, in another pool.
    /// The pool holds at most <see cref="DefaultPoolSize"/> connections unless the string sets its own number
    /// (docs/adr/0009): Npgsql's 100 let every request run its query at once on a small server, and the few that
    /// lost the scheduling race waited ten times the median.
    /// </summary>
    public static string Tuned(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { NoResetOnClose = true };
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
        }

        if (!SetsPoolSize(connectionString))
        {
            builder.MaxPoolSize = DefaultPoolSize;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Four connections per core of this machine, at least eight: a database server running more queries at once
    /// than it has cores only makes each wait longer. The portal's own cores stand for the database's, as where both
    /// share a host (docker-compose.yml); a server of its own is sized in the connection string (README, "Configuration outside Development").
    /// </summary>
    public static int DefaultPoolSize => Math.Max(8, 4 * Environment.ProcessorCount);

    /// <summary>Whether the configured string names a pool size itself (under any of Npgsql's spellings).</summary>
    private static bool SetsPoolSize(string connectionString)
    {
        var keys = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString }.Keys.Cast<string>();
        return keys.Any(key => key.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() is "MAXIMUMPOOLSIZE" or "MAXPOOLSIZE");
    }

    /// <summary>Options for a context made outside the container (tests, the benchmark, tools).</summary>
    public static DbContextOptions<DerogationDbContext> Options(string connectionString, Action<DbContextOptionsBuilder>? more = null)
    {
        var builder = new DbContextOptionsBuilder<DerogationDbContext>();
        Configure(builder, connectionString);
        more?.Invoke(builder);
        return builder.Options;
    }
}
