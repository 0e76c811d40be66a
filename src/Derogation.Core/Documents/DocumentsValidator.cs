using Derogation.Core.Applications;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace Derogation.Core.Documents;

/// <summary>The asterisk rule: every mandatory document is there, and every document concerning the patient is marked anonymised.</summary>
public sealed class DocumentsValidator : AbstractValidator<ApplicationAnswers>
{
    public DocumentsValidator(IStringLocalizer l, bool requireComplete, ApplicationKind kind)
    {
        RuleFor(a => a).Custom((answers, context) =>
        {
            foreach (var entry in DocumentCatalogue.For(kind))
            {
                var uploaded = answers.Documents.Where(d => d.Type == entry.Type).ToList();
                if (requireComplete && uploaded.Count == 0 && DocumentCatalogue.IsRequired(entry, kind, answers))
                {
                    context.AddFailure($"Document{entry.Type}", l["DocumentMissing", l["DocumentType" + entry.Type]]);
                }

                foreach (var unconfirmed in uploaded.Where(d => requireComplete && d.CarriedOverFrom is not null && !d.CarriedOverConfirmed))
                {
                    // Carried over from an earlier application: the applicant says it still applies, or removes it.
                    context.AddFailure($"Document{entry.Type}", l["DocumentCarriedOverUnconfirmed", l["DocumentType" + entry.Type], unconfirmed.FileName]);
                }

                if (DocumentCatalogue.ConcernsPatient(entry.Type, kind) && uploaded.Any(d => !d.Anonymised))
                {
                    context.AddFailure($"Document{entry.Type}", l["DocumentNotAnonymised", l["DocumentType" + entry.Type]]);
                }
            }
        });
    }
}
