using Derogation.Core.Letters;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Review;

/// <summary>
/// What a proposal must say before anything else is checked — the one place these rules live: the reviewer's page
/// shows every failure at once beside its field, and <see cref="Proposals"/> refuses the same input (each failure's
/// error code is the <see cref="ProposalError"/> the service answers).
/// </summary>
public sealed class ProposalInputValidator : AbstractValidator<ProposalInput>
{
    public const int MaxTextLength = 20000;

    public ProposalInputValidator(IStringLocalizer<CoreText> l)
    {
        RuleFor(p => p.Outcome).NotNull().When(p => p.Act == ProposalAct.Decision)
            .WithErrorCode(nameof(ProposalError.OutcomeRequired)).WithMessage(_ => l["DecisionOutcomeRequired"]);
        RuleFor(p => p.Reasons).Cascade(CascadeMode.Stop)
            .Must(r => !string.IsNullOrWhiteSpace(r)).WithErrorCode(nameof(ProposalError.ReasonsRequired)).WithMessage(_ => l["DecisionReasonsRequired"])
            .MaximumLength(MaxTextLength).WithErrorCode(nameof(ProposalError.TooLong)).WithMessage(_ => l["ProposalErrorTooLong"]);
        RuleFor(p => p.Correction).Cascade(CascadeMode.Stop)
            .Must(c => !string.IsNullOrWhiteSpace(c)).When(p => p.Act == ProposalAct.Rectification, ApplyConditionTo.CurrentValidator)
            .WithErrorCode(nameof(ProposalError.CorrectionRequired)).WithMessage(_ => l["ProposalErrorCorrectionRequired"])
            .MaximumLength(MaxTextLength).WithErrorCode(nameof(ProposalError.TooLong)).WithMessage(_ => l["ProposalErrorTooLong"]);
        RuleFor(p => p.Conditions.MaxPatients).GreaterThanOrEqualTo(1).When(p => p.Conditions.MaxPatients is not null)
            .WithErrorCode(nameof(ProposalError.MaxPatientsInvalid)).WithMessage(_ => l["ProposalErrorMaxPatients"]);
        RuleFor(p => p.SignatoryUserId).NotEqual(Guid.Empty)
            .WithErrorCode(nameof(ProposalError.NotASignatory)).WithMessage(_ => l["DecisionSignatoryRequired"]);
        RuleFor(p => p.OtherRecipients)
            .Must(recipients => recipients is null || recipients.All(Valid))
            .WithErrorCode(nameof(ProposalError.RecipientInvalid)).WithMessage(_ => l["ProposalErrorRecipientInvalid"]);
    }

    private static bool Valid(LetterRecipient recipient) =>
        !string.IsNullOrWhiteSpace(recipient.Name) && System.Net.Mail.MailAddress.TryCreate(recipient.Email, out _);

    /// <summary>The service's answer for an input these rules refuse: its first failure.</summary>
    public static ProposalError FirstError(FluentValidation.Results.ValidationResult result) =>
        result.IsValid ? ProposalError.None : Enum.Parse<ProposalError>(result.Errors[0].ErrorCode);
}
