using Derogation.Core.Navigation;
using System.Text.RegularExpressions;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using FluentValidation;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>
/// A single-use link that lets the prescriber write their part of an individual application without an account
/// (docs/domain.md, "The prescriber's part"). Only the SHA-256 of the token is stored; the link expires, and is
/// spent when the statement is saved.
/// </summary>
public sealed class PrescriberInvitation
{
    public Guid Id { get; set; }
    public Guid ApplicationId { get; set; }
    public required string Email { get; set; }
    public required string TokenHash { get; set; }
    /// <summary>Set when the link goes with a reviewer's information request: the prescriber reads its message.</summary>
    public Guid? InformationRequestId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
    public Guid CreatedByUserId { get; set; }
}

internal sealed class PrescriberInvitationConfiguration : IEntityTypeConfiguration<PrescriberInvitation>
{
    public void Configure(EntityTypeBuilder<PrescriberInvitation> builder)
    {
        builder.ToTable("prescriber_invitations");
        builder.HasKey(i => i.Id);
        builder.Property(i => i.Email).HasMaxLength(256);
        builder.Property(i => i.TokenHash).HasMaxLength(64);
        builder.HasIndex(i => i.TokenHash).IsUnique();
        builder.HasIndex(i => i.ApplicationId);
        builder.HasOne<Application>().WithMany().HasForeignKey(i => i.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

/// <summary>Configuration section "Prescribers".</summary>
public sealed class PrescriberOptions
{
    /// <summary>How long the prescriber's link stays valid if unused.</summary>
    public int LinkValidityDays { get; set; } = 14;
}

/// <summary>What the prescriber types in the form.</summary>
public sealed record PrescriberStatementInput(
    string? Name, string? Specialty, string? Rpps, string? Establishment, string? MedicalJustification, bool PatientInformedAndConsented);

/// <summary>What the prescriber may see through their link: the application it concerns, and the reviewer's question if any.</summary>
public sealed record PrescriberView(
    PrescriberInvitation Invitation, Application Application, string FilerName, string? ReviewerQuestion);

public enum PrescriberInviteError
{
    None,
    NotFound,
    EmailInvalid,
    /// <summary>Only an individual draft, or one whose open request names the professionals, can be sent to the prescriber.</summary>
    NotOpen,
}

/// <summary>The prescriber's part: invitations by the applicant or with a reviewer's request, the statement written through the link.</summary>
public sealed partial class PrescriberPart(DerogationDbContext db, RuleContext rules, OutboxSignal outbox, PrescriberOptions options, TimeProvider clock, IPortalLinks links)
{
    public const int MaxJustificationLength = 8000;

    /// <summary>The applicant sends the link to the prescriber of one of its individual drafts. Earlier unused links stop working.</summary>
    public async Task<PrescriberInviteError> InviteAsync(Guid draftId, Viewer viewer, string? email)
    {
        var draft = await db.Applications.VisibleTo(viewer)
            .SingleOrDefaultAsync(a => a.Id == draftId && a.FilingOrganisationId == viewer.OrganisationId && a.Status == ApplicationStatus.Draft);
        if (draft is null || draft.Kind != ApplicationKind.Individual)
        {
            return PrescriberInviteError.NotFound;
        }

        if (!IsEmail(email))
        {
            return PrescriberInviteError.EmailInvalid;
        }

        var filer = await db.Organisations.AsNoTracking().Where(o => o.Id == draft.FilingOrganisationId).Select(o => o.LegalName).SingleAsync();
        await Invite(draft, email!.Trim(), null, null, filer, viewer.UserId);
        await db.SaveChangesAsync();
        outbox.Wake();
        return PrescriberInviteError.None;
    }

    /// <summary>
    /// Adds the invitation and its e-mail to the caller's unit of work: used by the applicant's invitation and by a
    /// reviewer's information request addressed to the prescriber too.
    /// </summary>
    internal async Task Invite(Application application, string email, Guid? informationRequestId, string? reviewerQuestion, string filerName, Guid invitedBy)
    {
        var now = clock.GetUtcNow();
        await db.PrescriberInvitations.Where(i => i.ApplicationId == application.Id && i.UsedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.ExpiresAt, now));
        var token = Accounts.SecretTokens.New();
        var invitation = new PrescriberInvitation
        {
            Id = Guid.NewGuid(),
            ApplicationId = application.Id,
            Email = email,
            TokenHash = Hash(token),
            InformationRequestId = informationRequestId,
            CreatedAt = now,
            ExpiresAt = now.AddDays(options.LinkValidityDays),
            CreatedByUserId = invitedBy,
        };
        db.PrescriberInvitations.Add(invitation);
        db.Record(clock, AuditActions.PrescriberInvited, invitedBy, nameof(Application), application.Id.ToString(),
            informationRequestId is null ? null : $"request={informationRequestId}");
        var link = links.PrescriberPart(token);
        var device = application.Answers.Device.TradeName ?? application.DeviceName ?? "—";
        var until = FrenchTime.InParis(invitation.ExpiresAt).ToString("dd/MM/yyyy");
        var untilEnglish = FrenchTime.InParis(invitation.ExpiresAt).ToString("yyyy-MM-dd");
        var (why, whyEnglish) = reviewerQuestion is null
            ? ($"{filerName} prépare une demande de dérogation au marquage CE auprès de l'ANSM pour l'un de vos patients (dispositif « {device} »). " +
               "La justification médicale doit venir du professionnel de santé : ce lien vous permet de la rédiger vous-même, sans créer de compte.",
               $"{filerName} is preparing an application to ANSM for a derogation from CE marking for one of your patients (device \"{device}\"). " +
               "The medical justification must come from the healthcare professional: this link lets you write it yourself, without an account.")
            : ($"L'ANSM instruit la demande de dérogation {application.Reference} (dispositif « {device} ») et vous demande de compléter votre justification médicale.",
               $"ANSM is reviewing derogation application {application.Reference} (device \"{device}\") and asks you to complete your medical justification.");
        db.Enqueue(clock, email,
            reviewerQuestion is null
                ? "Justification médicale à compléter — demande de dérogation / Medical justification requested"
                : $"Demande {application.Reference} : l'ANSM demande des informations au prescripteur / ANSM asks the prescriber",
            $"Madame, Monsieur,\n\n{why}\n\nCe lien est personnel ; il ne sert qu'une fois et expire le {until} :\n\n{link}\n\n" +
            "N'y indiquez ni le nom du patient ni aucune donnée permettant de l'identifier : ses initiales et son année de naissance suffisent.\n\n" +
            $"ANSM — portail des dérogations au marquage CE\n\n---\n\n{whyEnglish}\n\nThis link is personal; it works once and expires on {untilEnglish}:\n\n{link}\n\n" +
            "Do not give the patient's name or anything that identifies them: their initials and year of birth are enough.\n\nANSM — CE-marking derogation portal",
            AuditActions.PrescriberInvited, application.Id);
    }

    /// <summary>What the link opens, when it is unused, unexpired and its application still waits for it; otherwise null (404).</summary>
    public async Task<PrescriberView?> OpenAsync(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 100)
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        var invitation = await db.PrescriberInvitations.AsNoTracking().SingleOrDefaultAsync(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now);
        if (invitation is null)
        {
            return null;
        }

        var application = await db.Applications.AsNoTracking().Include(a => a.FilingOrganisation).SingleAsync(a => a.Id == invitation.ApplicationId);
        string? question = null;
        if (invitation.InformationRequestId is { } requestId)
        {
            var request = await db.InformationRequests.AsNoTracking().SingleOrDefaultAsync(r => r.Id == requestId);
            if (request is null || !request.IsOpen || application.Status != ApplicationStatus.InformationRequested)
            {
                return null;
            }

            question = request.Message;
        }
        else if (application.Status != ApplicationStatus.Draft)
        {
            return null;
        }

        return new PrescriberView(invitation, application, application.FilingOrganisation.LegalName, question);
    }

    /// <summary>
    /// Saves the prescriber's statement into the application and spends the link, in one transaction: a second use,
    /// or two submissions at once, find it spent. Returns the validation errors (nothing saved, the link still valid)
    /// or null when the link no longer opens anything.
    /// </summary>
    public async Task<FluentValidation.Results.ValidationResult?> CompleteAsync(string token, PrescriberStatementInput input)
    {
        var view = await OpenAsync(token);
        if (view is null)
        {
            return null;
        }

        var patient = view.Application.Answers.Patient;
        var validation = new PrescriberStatementValidator(rules.L, new PatientInitials(patient.LastNameInitial, patient.FirstNameInitial)).Validate(input);
        if (!validation.IsValid)
        {
            return validation;
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        var now = clock.GetUtcNow();
        var hash = Hash(token);
        var spent = await db.PrescriberInvitations.Where(i => i.TokenHash == hash && i.UsedAt == null && i.ExpiresAt > now)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.UsedAt, now));
        if (spent == 0)
        {
            return null;
        }

        await db.Database.ExecuteSqlAsync($"SELECT 1 FROM applications WHERE id = {view.Application.Id} FOR UPDATE");
        var application = await db.Applications.SingleAsync(a => a.Id == view.Application.Id);
        if (application.Status != view.Application.Status)
        {
            return null;
        }

        application.Answers.PrescriberStatement = new PrescriberStatement
        {
            Name = input.Name!.Trim(),
            Specialty = input.Specialty!.Trim(),
            Rpps = input.Rpps!.Replace(" ", "", StringComparison.Ordinal),
            Establishment = input.Establishment!.Trim(),
            MedicalJustification = input.MedicalJustification!.Trim(),
            PatientInformedAndConsented = true,
            CompletedAt = now,
            InformationRequestId = view.Invitation.InformationRequestId,
        };
        application.UpdatedAt = now;
        // The prescriber has no account: the event names the link's creator's application, never the prescriber.
        db.Record(clock, AuditActions.PrescriberStatementCompleted, null, nameof(Application), application.Id.ToString(),
            view.Invitation.InformationRequestId is null ? null : $"request={view.Invitation.InformationRequestId}");

        var name = application.Reference ?? application.Answers.Device.TradeName ?? "—";
        var link = application.Reference is null
            ? links.DraftDocuments(application.Id)
            : links.Application(application.Reference!);
        foreach (var email in await db.EmailsAsync(application.FilingOrganisationId))
        {
            db.Enqueue(clock, email, $"Demande {name} : le prescripteur a rempli sa partie / the prescriber completed their part",
                $"Bonjour,\n\nLe prescripteur a rempli sa partie de la demande {name} (justification médicale et attestation d'information du patient). " +
                $"Elle figure dans la demande :\n\n{link}\n\nANSM — portail des dérogations au marquage CE\n\n---\n\n" +
                $"Hello,\n\nThe prescriber has completed their part of application {name} (medical justification and attestation that the patient was informed). " +
                $"It is in the application:\n\n{link}\n\nANSM — CE-marking derogation portal",
                AuditActions.PrescriberStatementCompleted, application.Id);
        }

        if (view.Invitation.InformationRequestId is not null && application.AssignedReviewerId is { } holder
            && await db.Users.Where(u => u.Id == holder).Select(u => u.Email).SingleOrDefaultAsync() is { } reviewer)
        {
            db.Enqueue(clock, reviewer, $"Demande {application.Reference} : réponse du prescripteur",
                $"Bonjour,\n\nLe prescripteur a complété sa justification médicale pour la demande {application.Reference}, en réponse à la demande d'information. " +
                $"Elle sera dans la version que le demandeur enverra en réponse ; elle est déjà visible dans le dossier :\n\n{links.CaseFile(application.Reference!)}\n\n" +
                "ANSM — portail des dérogations au marquage CE",
                AuditActions.PrescriberStatementCompleted, application.Id);
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
        outbox.Wake();
        return validation;
    }

    /// <summary>The links sent for an application, newest first, for the applicant's and the reviewer's pages.</summary>
    public Task<List<PrescriberInvitation>> InvitationsAsync(Guid applicationId) =>
        db.PrescriberInvitations.AsNoTracking().Where(i => i.ApplicationId == applicationId).OrderByDescending(i => i.CreatedAt).ToListAsync();

    private static string Hash(string token) => Accounts.SecretTokens.Hash(token);

    public static bool IsEmail(string? email) => email?.Trim().Length <= 256 && FieldKinds.IsEmail(email);
}

/// <summary>The prescriber's form: who they are (RPPS: 11 digits), the justification under the patient rules, the attestation.</summary>
public sealed partial class PrescriberStatementValidator : AbstractValidator<PrescriberStatementInput>
{
    public PrescriberStatementValidator(IStringLocalizer l, PatientInitials initials)
    {
        RuleFor(s => s.Name).NotEmpty().WithMessage(l["FieldRequired", l["FieldPrescriberName"]])
            .MaximumLength(200).WithMessage(l["FieldTooLong", l["FieldPrescriberName"], 200]);
        RuleFor(s => s.Specialty).NotEmpty().WithMessage(l["FieldRequired", l["FieldPrescriberSpecialty"]])
            .MaximumLength(200).WithMessage(l["FieldTooLong", l["FieldPrescriberSpecialty"], 200]);
        RuleFor(s => s.Rpps).NotEmpty().WithMessage(l["FieldRequired", l["FieldPrescriberRpps"]])
            .Must(r => r is null || Rpps().IsMatch(r.Replace(" ", "", StringComparison.Ordinal))).WithMessage(l["PrescriberRppsInvalid"]);
        RuleFor(s => s.Establishment).NotEmpty().WithMessage(l["FieldRequired", l["FieldEstablishmentName"]])
            .MaximumLength(300).WithMessage(l["FieldTooLong", l["FieldEstablishmentName"], 300]);
        RuleFor(s => s.MedicalJustification).NotEmpty().WithMessage(l["FieldRequired", l["FieldPrescriberJustification"]])
            .MaximumLength(PrescriberPart.MaxJustificationLength).WithMessage(l["FieldTooLong", l["FieldPrescriberJustification"], PrescriberPart.MaxJustificationLength])
            .PatientFreeText(l, "FieldPrescriberJustification", _ => initials);
        RuleFor(s => s.PatientInformedAndConsented).Equal(true).WithMessage(l["DeclarationRequired", l["FieldPatientInformedAndConsented"]]);
    }

    [GeneratedRegex(@"^\d{11}$")]
    private static partial Regex Rpps();
}
