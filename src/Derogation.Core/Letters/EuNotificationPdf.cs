using System.Globalization;
using Derogation.Core.Review;

namespace Derogation.Core.Letters;

/// <summary>The EU notification's PDF summary: the JSON document's content, readable by a person, in English.</summary>
public static class EuNotificationPdf
{
    private static string Date(DateOnly? date) => date?.ToString("d MMMM yyyy", CultureInfo.InvariantCulture) ?? "—";

    private static string Event(EuNotificationKind kind) => kind switch
    {
        EuNotificationKind.Authorisation => "Derogation granted",
        EuNotificationKind.Extension => "Derogation granted as the extension of an earlier one",
        EuNotificationKind.AnnualExtension => "Derogation extended by twelve months",
        EuNotificationKind.Amendment => "Conditions of the derogation amended",
        EuNotificationKind.Suspension => "Derogation suspended",
        EuNotificationKind.Reinstatement => "Suspension of the derogation lifted",
        _ => "Derogation withdrawn",
    };

    public static byte[] Render(EuNotificationDocument document)
    {
        var derogation = document.Derogation;
        var device = document.Device;
        using var pdf = new FlowDocument($"EU notification {derogation.Reference}");
        pdf.Paragraph(document.NotifyingAuthority.Name, 9, bold: true)
            .Paragraph($"Member State: {document.NotifyingAuthority.MemberState}", 9)
            .Heading("Notification to the European Commission and the Member States", 14)
            .Paragraph($"{document.LegalBasis} — derogation from the conformity assessment procedures granted for other than a single patient.", 10, italic: true)
            .Space()
            .Field("Event", Event(document.Event.Kind))
            .Field("Date of the event", Date(document.Event.Date))
            .Field("National reference", derogation.Reference);
        if (derogation.Extends is { } extended)
        {
            pdf.Field("Extends", extended);
        }

        pdf.Field("Verification code", document.Event.VerificationCode ?? "—")
            .Rule()
            .Heading("Device", 12)
            .Field("Type", device.Kind == "MedicalDevice" ? "Medical device (Regulation (EU) 2017/745)" : "In vitro diagnostic medical device (Regulation (EU) 2017/746)")
            .Field("Trade name", device.TradeName)
            .Field("Model", device.Model ?? "—")
            .Field("Basic UDI-DI / UDI-DI", device.UdiDi ?? "—")
            .Field("Risk class", device.RiskClass ?? "—")
            .Field("References", device.References.Count == 0 ? "—" : string.Join("; ", device.References.Select(r => r.Description is null ? r.Code : $"{r.Code} ({r.Description})")))
            .Field("Intended purpose", device.IntendedPurpose ?? "—")
            .Field("Indication / population", document.Indication ?? "—")
            .Rule()
            .Heading("Economic operators", 12)
            .Field("Manufacturer", string.Join(", ", new[] { document.Manufacturer.Name, document.Manufacturer.Address, document.Manufacturer.Country }.Where(p => !string.IsNullOrWhiteSpace(p))))
            .Field("Manufacturer SRN", document.Manufacturer.Srn ?? "—")
            .Field("Authorised representative", document.AuthorisedRepresentative is { } representative
                ? string.Join(", ", new[] { representative.Name, representative.Address, representative.Country }.Where(p => !string.IsNullOrWhiteSpace(p)))
                : "— (manufacturer established in the Union)")
            .Rule()
            .Heading("Derogation", 12)
            .Field("Granted on", Date(derogation.GrantedOn))
            .Field("Valid from", Date(derogation.ValidFrom))
            .Field("Valid until", Date(derogation.ValidUntil))
            .Field("Maximum number of patients", derogation.MaxPatients?.ToString(CultureInfo.InvariantCulture) ?? "—")
            .Field("Establishments", derogation.Establishments ?? "—")
            .Field("Follow-up", derogation.FollowUp ?? "—")
            .Field("Restrictions", derogation.Restrictions ?? "—");
        if (document.Event.Reasons is { } reasons)
        {
            pdf.Heading("Reasons for this measure (as decided, in French)", 11).Paragraph(reasons, 9);
        }

        pdf.Heading("Justification (summary of the reasoned decision, in French)", 11).Paragraph(derogation.JustificationSummary, 9)
            .Space()
            .Paragraph($"Generated on {document.GeneratedAt.UtcDateTime.ToString("d MMMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC. The attached JSON document carries the same data (schema {document.Schema}).", 8, italic: true);
        return pdf.Finish($"EU notification — {derogation.Reference} — ANSM");
    }
}
