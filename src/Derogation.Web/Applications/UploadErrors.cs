using Derogation.Core.Documents;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Applications;

/// <summary>What to tell the user when a file is refused, naming the fix.</summary>
public static class UploadErrors
{
    public static string Message(IStringLocalizer l, UploadError error, DocumentOptions options) => error switch
    {
        UploadError.Empty => l["FileEmpty"],
        UploadError.TooLarge => l["DocumentTooLarge", options.MaxFileBytes / (1024 * 1024)],
        UploadError.NotAnAcceptedFormat => l["DocumentFormatRefused"],
        UploadError.AnonymisationNotConfirmed => l["DocumentConfirmAnonymised"],
        _ => l["DocumentTypeRequired"],
    };
}
