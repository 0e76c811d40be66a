using System.Globalization;
using Derogation.Core.Applications;
using Derogation.Core.Review;

namespace Derogation.Core.Letters;

/// <summary>The assessment grid as printed for the file (ANSM internal, in French): one block per criterion.</summary>
public static class AssessmentGridPdf
{
    private static readonly CultureInfo French = new("fr-FR");

    public static string Criterion(AssessmentCriterion criterion, ApplicationKind kind) => criterion switch
    {
        AssessmentCriterion.Benefit => kind == ApplicationKind.Global ? "Intérêt pour la santé publique" : "Bénéfice pour le patient",
        AssessmentCriterion.SafetyAndPerformance => "Données de sécurité et de performance",
        AssessmentCriterion.NoAlternative => "Absence d'alternative",
        AssessmentCriterion.Urgency => "Urgence",
        AssessmentCriterion.CeMarkingPlan => "Plan de marquage CE",
        _ => "Dérogations antérieures",
    };

    public static string Opinion(AssessmentOpinion? opinion) => opinion switch
    {
        AssessmentOpinion.Favourable => "Favorable",
        AssessmentOpinion.Reserved => "Réservé",
        AssessmentOpinion.Unfavourable => "Défavorable",
        _ => "Non renseigné",
    };

    public static byte[] Render(AssessmentSheet sheet)
    {
        var kind = sheet.Global ? ApplicationKind.Global : ApplicationKind.Individual;
        using var pdf = new FlowDocument($"Grille d'évaluation {sheet.Reference}");
        pdf.Paragraph("Agence nationale de sécurité du médicament et des produits de santé", 9, bold: true)
            .Paragraph("Document interne — ne pas transmettre au demandeur", 8, italic: true)
            .Heading("Grille d'évaluation de la demande de dérogation", 15)
            .Field("Référence", sheet.Reference)
            .Field("Type de demande", sheet.Global ? "Dérogation globale" : "Dérogation individuelle")
            .Field("Dispositif", sheet.Device ?? "—")
            .Field("Fabricant", sheet.Manufacturer ?? "—")
            .Field("Imprimée le", FrenchTime.InParis(sheet.PrintedAt).ToString("dd/MM/yyyy HH:mm", French) + " (heure de Paris)")
            .Rule();
        foreach (var line in sheet.Lines)
        {
            pdf.Keep(block =>
            {
                block.Heading(Criterion(line.Criterion, kind), 12)
                    .Field("Appréciation", Opinion(line.Opinion))
                    .Field("Commentaire", line.Comment ?? "—");
                if (line.At is { } at)
                {
                    block.Paragraph($"Renseigné par {line.By ?? "—"} le {FrenchTime.InParis(at).ToString("dd/MM/yyyy HH:mm", French)}", 8, italic: true);
                }
            });
        }

        var missing = sheet.Lines.Count(l => l.Opinion is null || string.IsNullOrWhiteSpace(l.Comment));
        pdf.Rule().Paragraph(missing == 0 ? "Grille complète." : $"Grille incomplète : {missing} critère(s) sans appréciation ou sans commentaire.", 10, bold: true);
        return pdf.Finish($"Grille d'évaluation {sheet.Reference} — document interne ANSM");
    }
}

/// <summary>What the printed grid says: the case and one line per criterion.</summary>
public sealed record AssessmentSheet(string Reference, bool Global, string? Device, string? Manufacturer, DateTimeOffset PrintedAt, IReadOnlyList<AssessmentLine> Lines);

/// <summary>One criterion as last saved: <paramref name="By"/> and <paramref name="At"/> are null while nobody filled it in.</summary>
public sealed record AssessmentLine(AssessmentCriterion Criterion, AssessmentOpinion? Opinion, string? Comment, string? By, DateTimeOffset? At);
