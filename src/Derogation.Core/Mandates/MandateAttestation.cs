using Derogation.Core.Letters;
using Derogation.Core.Organisations;

namespace Derogation.Core.Mandates;

/// <summary>
/// The mandate as the portal holds it, for an application filed under a mandate the manufacturer granted in the
/// portal (there is no letter to attach): who granted what to whom, when, for how long — drawn as a one-page PDF
/// attached to the application at submission, so that the reviewer reads it beside the other documents.
/// </summary>
public static class MandateAttestation
{
    public static string FileName(Mandate mandate) => $"mandat-{mandate.Id.ToString("N")[..8]}.pdf";

    /// <summary>One line for the receipt and the case file.</summary>
    public static string Describe(Mandate mandate)
    {
        var granted = FrenchTime.Written(mandate.DecidedAt ?? mandate.CreatedAt);
        var how = mandate.LetterContent is null ? $"accordé dans le portail par le fabricant le {granted}" : $"lettre de mandat vérifiée par l'ANSM le {granted}";
        var until = mandate.ValidUntil is { } end ? $" au {FrenchTime.Written(end)}" : ", sans date de fin";
        return $"{how} ; en vigueur du {FrenchTime.Written(mandate.ValidFrom)}{until}" + (mandate.Scope is null ? "" : $" ; périmètre : {mandate.Scope}");
    }

    public static byte[] Render(Mandate mandate, Organisation manufacturer, Organisation holder, string holderCapacity)
    {
        using var pdf = new FlowDocument("Attestation de mandat");
        pdf.Paragraph(DecisionLetterBuilder.AnsmName, 9, bold: true)
            .Paragraph("Portail des dérogations au marquage CE", 8)
            .Heading("Attestation de mandat", 15)
            .Paragraph("Le portail atteste que le mandat ci-dessous a été accordé par le fabricant depuis son propre compte et qu'il était en vigueur au dépôt de la demande à laquelle cette attestation est jointe.")
            .Rule()
            .Field("Fabricant (mandant)", $"{manufacturer.LegalName} ({manufacturer.Country})")
            .Field("Mandataire", $"{holder.LegalName} ({holder.Country}), {holderCapacity}")
            .Field("Mandat", Describe(mandate))
            .Field("Identifiant", mandate.Id.ToString());
        return pdf.Finish("Attestation de mandat — portail des dérogations au marquage CE, ANSM");
    }
}
