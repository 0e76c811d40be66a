using System.Globalization;

namespace Derogation.Core.Letters;

/// <summary>What the deposit receipt says, in French; drawn by <see cref="DepositReceiptPdf"/>.</summary>
public sealed record DepositReceipt(
    string Reference,
    DateTimeOffset SubmittedAt,
    string Kind,
    string LegalBasis,
    string Manufacturer,
    string FiledBy,
    string FiledAs,
    string Device,
    string? Model,
    string? References,
    IReadOnlyList<ReceiptDocument> Documents,
    IReadOnlyList<(string Code, string Description)>? ReferenceList = null,
    IReadOnlyList<string>? EarlierDerogations = null,
    string? Extends = null,
    string? Mandate = null,
    string? Prescriber = null);

public sealed record ReceiptDocument(string Type, string FileName, long SizeBytes, string Sha256);

public static class DepositReceiptPdf
{
    private static readonly CultureInfo French = new("fr-FR");

    public static byte[] Render(DepositReceipt receipt)
    {
        var when = FrenchTime.InParis(receipt.SubmittedAt);
        using var pdf = new FlowDocument($"Récépissé de dépôt {receipt.Reference}");
        pdf.Paragraph("Agence nationale de sécurité du médicament et des produits de santé", 9, bold: true)
            .Paragraph("143/147, boulevard Anatole France — F-93285 Saint-Denis Cedex", 8)
            .Heading("Récépissé de dépôt d'une demande de dérogation", 15)
            .Paragraph($"La demande ci-dessous a été déposée sur le portail des dérogations au marquage CE le {when.ToString("d MMMM yyyy 'à' HH:mm", French)} (heure de Paris). Ce récépissé atteste le dépôt ; il ne vaut pas décision.")
            .Rule()
            .Field("Référence", receipt.Reference)
            .Field("Date et heure du dépôt", when.ToString("dd/MM/yyyy HH:mm:ss", French))
            .Field("Type de demande", receipt.Kind)
            .Field("Base légale", receipt.LegalBasis);
        if (receipt.Extends is not null)
        {
            pdf.Field("Prolongation de", receipt.Extends);
        }

        pdf
            .Heading("Parties", 12)
            .Field("Fabricant", receipt.Manufacturer)
            .Field("Déposée par", receipt.FiledBy)
            .Field("En qualité de", receipt.FiledAs);
        if (receipt.Mandate is not null)
        {
            pdf.Field("Mandat", receipt.Mandate);
        }

        if (receipt.Prescriber is not null)
        {
            pdf.Field("Partie du prescripteur", receipt.Prescriber);
        }

        pdf
            .Heading("Dispositif", 12)
            .Field("Nom commercial", receipt.Device);
        if (!string.IsNullOrWhiteSpace(receipt.Model))
        {
            pdf.Field("Modèle", receipt.Model);
        }

        if (!string.IsNullOrWhiteSpace(receipt.References))
        {
            pdf.Field("Référence(s)", receipt.References);
        }

        if (receipt.ReferenceList is { Count: > 0 } list)
        {
            pdf.Heading($"Références couvertes ({list.Count})", 12);
            foreach (var (code, description) in list)
            {
                pdf.Field(code, string.IsNullOrWhiteSpace(description) ? "—" : description, 9);
            }
        }

        if (receipt.EarlierDerogations is { Count: > 0 } earlier)
        {
            pdf.Heading($"Dérogations déjà accordées déclarées ({earlier.Count})", 12);
            foreach (var line in earlier)
            {
                pdf.Paragraph("• " + line, 9);
            }
        }

        pdf.Heading("Pièces déposées", 12)
            .Paragraph("Chaque pièce est identifiée par son empreinte SHA-256, qui permet de vérifier qu'elle n'a pas été modifiée.", 8, italic: true);
        foreach (var document in receipt.Documents)
        {
            pdf.Space(4)
                .Paragraph(document.Type, 9, bold: true)
                // French groups thousands with a narrow no-break space, which the embedded font does not draw: a no-break space instead.
                .Field("Fichier", $"{document.FileName} ({document.SizeBytes.ToString("N0", French).Replace('\u202F', '\u00A0')} octets)", 9)
                .Field("SHA-256", document.Sha256, 8);
        }

        return pdf.Finish($"Récépissé {receipt.Reference} — portail des dérogations au marquage CE, ANSM");
    }
}
