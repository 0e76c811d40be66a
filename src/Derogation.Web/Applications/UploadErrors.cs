using Derogation.Core.Documents;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Applications;

/// <summary>What to tell the user when a file is refused: the file, what was found (and where), and the fix.</summary>
public static class UploadErrors
{
    public static string Message(IStringLocalizer l, UploadRefusal refusal, DocumentOptions options) => refusal.Error switch
    {
        UploadError.Empty => l["FileEmpty"],
        UploadError.TooLarge => l["DocumentTooLarge", options.MaxFileBytes / (1024 * 1024)],
        UploadError.NotAnAcceptedFormat => l["DocumentFormatRefused"],
        UploadError.AnonymisationNotConfirmed => l["DocumentConfirmAnonymised"],
        UploadError.Infected => l["DocumentInfected", refusal.Detail ?? ""],
        UploadError.ScannerUnavailable => l["DocumentScannerUnavailable"],
        UploadError.PdfEncrypted => l["DocumentPdfEncrypted"],
        UploadError.PdfActiveContent => l["DocumentPdfActiveContent"],
        UploadError.PdfEmbeddedFiles => l["DocumentPdfEmbeddedFiles"],
        UploadError.PdfMalformed => l["DocumentPdfMalformed"],
        UploadError.PatientIdentified when refusal.Page is { } page => l["DocumentPatientIdentifiedOnPage", page, l["DocumentFound" + refusal.Problem], refusal.Detail ?? ""],
        UploadError.PatientIdentified => l["DocumentPatientIdentified", l["DocumentFound" + refusal.Problem], refusal.Detail ?? ""],
        UploadError.DatesToAcknowledge => l["DocumentDatesToAcknowledge", string.Join(" ; ", refusal.Dates ?? [])],
        UploadError.TooManyDocuments => l["DocumentTooMany", options.MaxDocumentsPerApplication],
        UploadError.ApplicationTooLarge => l["DocumentApplicationTooLarge", options.MaxApplicationBytes / (1024 * 1024)],
        _ => l["DocumentTypeRequired"],
    };
}
