using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Derogation.Core.Audit;

/// <summary>
/// Something that happened, for the record: who (the acting user, when known), when, what, to what, and
/// details without personal data, passwords or tokens. Written in the same transaction as the change it
/// records; never updated or deleted by the portal.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? ActorUserId { get; set; }
    public required string Action { get; set; }
    public string? SubjectType { get; set; }
    public string? SubjectId { get; set; }
    public string? Details { get; set; }
    /// <summary>For a transition: the status before and after.</summary>
    public string? FromState { get; set; }
    public string? ToState { get; set; }
    /// <summary>Position in the chain, hash of the previous event and of this one: set by the database (migration 0010).</summary>
    public long ChainPosition { get; set; }
    public string? PreviousHash { get; set; }
    public string Hash { get; set; } = "";
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.ToTable("audit_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.SubjectType).HasMaxLength(100);
        builder.Property(e => e.SubjectId).HasMaxLength(100);
        builder.Property(e => e.Details).HasMaxLength(2000);
        builder.Property(e => e.FromState).HasMaxLength(30);
        builder.Property(e => e.ToState).HasMaxLength(30);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
        builder.HasIndex(e => e.ChainPosition).IsUnique();
        builder.HasIndex(e => new { e.SubjectType, e.SubjectId });
        builder.HasIndex(e => e.OccurredAt);
    }
}

/// <summary>The actions recorded, named once.</summary>
public static class AuditActions
{
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string SignedOut = "SignedOut";
    public const string OrganisationRegistered = "OrganisationRegistered";
    public const string EmailConfirmed = "EmailConfirmed";
    public const string PasswordReset = "PasswordReset";
    public const string TwoFactorEnabled = "TwoFactorEnabled";
    public const string MemberInvited = "MemberInvited";
    public const string MemberJoined = "MemberJoined";
    public const string MemberRemoved = "MemberRemoved";
    public const string RoleGranted = "RoleGranted";
    public const string MandateGranted = "MandateGranted";
    public const string MandateRevoked = "MandateRevoked";
    public const string MandateLetterUploaded = "MandateLetterUploaded";
    public const string MandateVerified = "MandateVerified";
    public const string MandateRejected = "MandateRejected";
    public const string DraftCreated = "DraftCreated";
    public const string DraftDeleted = "DraftDeleted";
    public const string RetentionPurged = "RetentionPurged";
    public const string EuNotificationSent = "EuNotificationSent";
    public const string ApiTokenCreated = "ApiTokenCreated";
    public const string ApiTokenRevoked = "ApiTokenRevoked";
    public const string WebhookRegistered = "WebhookRegistered";
    public const string WebhookDisabled = "WebhookDisabled";
    public const string Submitted = "Submitted";
    public const string Taken = "Taken";
    public const string Decided = "Decided";
    public const string Proposed = "Proposed";
    public const string ProposalReturned = "ProposalReturned";
    public const string Signed = "Signed";
    public const string Rectified = "Rectified";
    public const string InformationRequestCancelled = "InformationRequestCancelled";
    public const string InformationDeadlineReminded = "InformationDeadlineReminded";
    public const string UploadInfected = "UploadInfected";
    public const string Assigned = "Assigned";
    public const string InformationRequested = "InformationRequested";
    public const string InformationAnswered = "InformationAnswered";
    public const string Suspended = "Suspended";
    public const string Reinstated = "Reinstated";
    public const string WithdrawnByAnsm = "WithdrawnByAnsm";
    public const string Expired = "Expired";
    public const string IncidentReported = "IncidentReported";
    public const string AnnualRecapFiled = "AnnualRecapFiled";
    public const string Extended = "Extended";
    public const string Amended = "Amended";
    public const string WithdrawnByApplicant = "WithdrawnByApplicant";
    public const string PrescriberInvited = "PrescriberInvited";
    public const string PrescriberStatementCompleted = "PrescriberStatementCompleted";
    public const string MandateAttached = "MandateAttached";
    public const string OrganisationEvidenceSubmitted = "OrganisationEvidenceSubmitted";
    public const string OrganisationVerified = "OrganisationVerified";
    public const string OrganisationClaimed = "OrganisationClaimed";
    public const string DraftTakenOver = "DraftTakenOver";
    public const string NoteAdded = "NoteAdded";
    public const string LetterWordingChanged = "LetterWordingChanged";
    public const string UsageDeclared = "UsageDeclared";
    public const string UrgentAlertsOn = "UrgentAlertsOn";
    public const string UrgentAlertsOff = "UrgentAlertsOff";
    public const string AssessmentSaved = "AssessmentSaved";
    public const string OpinionRequested = "OpinionRequested";
    public const string OpinionGiven = "OpinionGiven";
    public const string MessageSent = "MessageSent";
}
