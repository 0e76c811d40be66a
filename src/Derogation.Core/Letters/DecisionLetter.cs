using System.Globalization;
using Derogation.Core.Applications;
using Derogation.Core.Review;

namespace Derogation.Core.Letters;

/// <summary>One article of the decision: its number is given by its position.</summary>
public sealed record LetterArticle(IReadOnlyList<string> Paragraphs);

/// <summary>
/// What a decision letter says (docs/domain.md §7), in French, as plain data: built from the decision and the frozen
/// version it was taken on by <see cref="DecisionLetterBuilder"/>, drawn by <see cref="DecisionLetterPdf"/> — so
/// the drawing could be swapped without touching the content.
/// </summary>
public sealed record DecisionLetter(
    string Reference,
    DateOnly Date,
    IReadOnlyList<string> Addressee,
    string Subject,
    string Title,
    IReadOnlyList<string> Vu,
    IReadOnlyList<string> Considering,
    IReadOnlyList<LetterArticle> Articles,
    string SignatoryName,
    string SignatoryTitle,
    IReadOnlyList<string> CopyTo,
    string? VerificationCode,
    string? VerificationUrl,
    bool Draft,
    DateTimeOffset? SignedAt = null);

/// <summary>The letter a rectification names: when it was issued and the code printed on it.</summary>
public sealed record RectifiedLetter(DateTimeOffset IssuedAt, string VerificationCode);

/// <summary>Someone who receives the letter without an account: named by the reviewer, or taken from the application.</summary>
public sealed record LetterRecipient(string Name, string Email);

/// <summary>An organisation as a letter names it.</summary>
public sealed record LetterParty(Guid Id, string LegalName, string Address, string Country);

/// <summary>The application as a letter needs it: what was filed (the frozen answers of the version decided on), by whom, for whom.</summary>
public sealed record LetterCase(
    string? Reference,
    ApplicationKind Kind,
    LegalBasis? LegalBasis,
    DateTimeOffset? SubmittedAt,
    string? DeviceName,
    LetterParty Manufacturer,
    LetterParty Filer,
    ApplicationAnswers Answers);

/// <summary>The decision a letter states (or, for a measure or a rectification, the grant it refers to).</summary>
public sealed record LetterDecision(
    DecisionOutcome Outcome,
    int Version,
    string Reasons,
    DecisionConditions Conditions,
    DateTimeOffset DecidedAt,
    string SignatoryName,
    string SignatoryTitle,
    IReadOnlyList<LetterRecipient> OtherRecipients);

/// <summary>A measure after the grant, as its letter states it.</summary>
/// <summary>A measure after the grant; <paramref name="Conditions"/>: for an amendment, the conditions as they stand from it.</summary>
public sealed record LetterMeasure(
    GrantMeasureKind Kind, string Reasons, DateTimeOffset DecidedAt, DateOnly? NewValidUntil, string SignatoryName, string SignatoryTitle, DecisionConditions? Conditions = null);

/// <summary>
/// Everything a letter is drawn from, as plain data (the letters know no entity and no database); the decision may
/// be a preview not yet saved.
/// </summary>
public sealed record LetterSource(
    LetterCase Case,
    LetterDecision Decision,
    string? VerificationCode,
    string? VerificationAddress,
    bool Draft,
    LetterWordingSet? Wording = null);

public static class DecisionLetterBuilder
{
    private static readonly CultureInfo French = new("fr-FR");

    public const string AnsmName = "Agence nationale de sécurité du médicament et des produits de santé";
    public const string Directorate = "Direction des dispositifs médicaux et des dispositifs de diagnostic in vitro";
    public const string AnsmAddress = "143/147, boulevard Anatole France — F-93285 Saint-Denis Cedex";

    public static DecisionLetter Build(LetterSource source)
    {
        var (application, answers, manufacturer, filer, decision) = (source.Case, source.Case.Answers, source.Case.Manufacturer, source.Case.Filer, source.Decision);
        var ivd = (application.LegalBasis ?? answers.Parties.LegalBasis) == LegalBasis.InVitroDiagnostic;
        var wording = source.Wording ?? StandardParagraphs.Defaults;
        var individual = application.Kind == ApplicationKind.Individual;
        var device = answers.Device.TradeName ?? application.DeviceName ?? "—";
        var kindText = individual ? "individuelle" : "globale";
        var article = ivd ? "article 54 du règlement (UE) 2017/746" : "article 59 du règlement (UE) 2017/745";
        var submitted = application.SubmittedAt is { } at ? FrenchTime.InParis(at).ToString("d MMMM yyyy", French) : "—";
        var filedBy = filer.Id == manufacturer.Id ? manufacturer.LegalName : $"{filer.LegalName}, {FilerCapacity(answers)}pour le compte de {manufacturer.LegalName}";

        var vu = new List<string>
        {
            ivd
                ? "Vu le règlement (UE) 2017/746 du Parlement européen et du Conseil du 5 avril 2017 relatif aux dispositifs médicaux de diagnostic in vitro, notamment son article 54 ;"
                : "Vu le règlement (UE) 2017/745 du Parlement européen et du Conseil du 5 avril 2017 relatif aux dispositifs médicaux, notamment son article 59 ;",
            ivd ? "Vu le code de la santé publique, notamment son article L. 5221-3 II ;" : "Vu le code de la santé publique, notamment son article L. 5211-3 II ;",
            $"Vu la demande de dérogation {kindText} n° {application.Reference} déposée le {submitted} par {filedBy}" +
            (decision.Version > 1 ? $", et les compléments apportés en réponse aux demandes d'information (version {decision.Version}) ;" : " ;"),
        };

        var considering = Considering(decision.Reasons);

        var deviceDescription = $"« {device} »" + (string.IsNullOrWhiteSpace(answers.Device.Model) ? "" : $", modèle {answers.Device.Model}");
        var articles = new List<LetterArticle>();
        switch (decision.Outcome)
        {
            case DecisionOutcome.Grant:
                var granted = new List<string> { $"Une dérogation {kindText} à l'obligation de marquage CE, au titre de l'{article}, est accordée à {manufacturer.LegalName} pour le dispositif {deviceDescription}." };
                if (!individual && !string.IsNullOrWhiteSpace(answers.GlobalScope.TargetPopulation))
                {
                    // A global derogation is for whom the application said: the indication and population bound its use.
                    granted.Add($"Elle vaut pour l'indication et la population suivantes : {FrenchText.Sentence(answers.GlobalScope.TargetPopulation)}");
                }

                articles.Add(new LetterArticle(granted));
                articles.Add(new LetterArticle(References(answers)));
                if (individual)
                {
                    var patient = answers.Patient;
                    articles.Add(new LetterArticle(
                    [
                        $"La présente dérogation vaut pour le seul patient identifié par les initiales {Initial(patient.LastNameInitial)}. {Initial(patient.FirstNameInitial)}., né(e) en {patient.YearOfBirth}, " +
                        $"pris en charge par {answers.HealthProfessionals.PrescriberName ?? "le prescripteur"} ({answers.HealthProfessionals.EstablishmentName ?? "établissement de santé"})" +
                        (string.IsNullOrWhiteSpace(answers.HealthProfessionals.DeviceUserName) ? "." : $", le dispositif étant utilisé par {answers.HealthProfessionals.DeviceUserName.Trim()}."),
                    ]));
                }

                var conditions = Conditions(decision.Conditions);
                if (conditions.Count > 0)
                {
                    articles.Add(new LetterArticle(["La dérogation est assortie des conditions suivantes :", .. conditions]));
                }

                articles.Add(new LetterArticle([Validity(decision.Conditions, individual)]));
                articles.Add(new LetterArticle(StandardParagraphs.Fill(individual ? wording.GrantIndividual : wording.GrantGlobal, ivd)));
                break;
            case DecisionOutcome.Refuse:
                articles.Add(new LetterArticle([$"La demande de dérogation {kindText} à l'obligation de marquage CE n° {application.Reference}, présentée pour le dispositif {deviceDescription}, est refusée.",
                    .. StandardParagraphs.Fill(wording.Refusal, ivd)]));
                break;
            default:
                articles.Add(new LetterArticle([$"La demande de dérogation {kindText} n° {application.Reference}, présentée pour le dispositif {deviceDescription}, est close sans décision sur le fond.",
                    .. StandardParagraphs.Fill(wording.Closure, ivd)]));
                break;
        }

        articles.Add(new LetterArticle(
        [
            "La présente décision peut faire l'objet d'un recours gracieux auprès du directeur général de l'ANSM ou d'un recours contentieux devant le tribunal administratif de Montreuil dans un délai de deux mois à compter de sa notification.",
        ]));
        var represented = Representative(answers) is { } representative ? $", représenté par {representative}" : "";
        articles.Add(new LetterArticle([$"La présente décision sera notifiée à {manufacturer.LegalName}{represented}"
            + (filer.Id == manufacturer.Id ? "." : $"{(represented.Length > 0 ? "," : "")} et à {filer.LegalName}, {FilerCapacity(answers)}demandeur.")]));

        var outcomeTitle = decision.Outcome switch
        {
            DecisionOutcome.Grant => "accordant",
            DecisionOutcome.Refuse => "refusant",
            _ => "clôturant la demande de",
        };
        return new DecisionLetter(
            application.Reference ?? "—",
            FrenchTime.InParis(decision.DecidedAt).Date is var date ? DateOnly.FromDateTime(date) : default,
            Addressee(answers, manufacturer),
            $"Objet : demande de dérogation {kindText} à l'obligation de marquage CE — dispositif « {device} » — demande n° {application.Reference}",
            $"Décision {outcomeTitle} une dérogation {kindText} à l'obligation de marquage CE",
            vu,
            considering,
            articles,
            decision.SignatoryName,
            decision.SignatoryTitle,
            CopyTo(answers, manufacturer, filer, decision, individual),
            source.Draft ? null : source.VerificationCode,
            source.Draft ? null : source.VerificationAddress,
            source.Draft,
            source.Draft ? null : decision.DecidedAt);
    }

    /// <summary>
    /// The letter of a measure taken after the grant — suspension, lifting of the suspension, withdrawal: the same
    /// letterhead, addressee, legal basis, copies and verification as the decision, its own reasons and articles.
    /// </summary>
    public static DecisionLetter BuildMeasure(LetterSource source, LetterMeasure measure, DateTimeOffset? suspendedAt)
    {
        var grant = Build(source);
        var application = source.Case;
        var kindText = application.Kind == ApplicationKind.Individual ? "individuelle" : "globale";
        var device = source.Case.Answers.Device.TradeName ?? application.DeviceName ?? "—";
        var granted = FrenchTime.InParis(source.Decision.DecidedAt).ToString("d MMMM yyyy", French);
        var derogation = $"La dérogation {kindText} à l'obligation de marquage CE n° {application.Reference}, accordée le {granted} à {source.Case.Manufacturer.LegalName} pour le dispositif « {device} »,";
        var vu = grant.Vu.Take(2).Append($"Vu la décision du {granted} accordant la dérogation {kindText} n° {application.Reference} ;").ToList();
        if (measure.Kind == GrantMeasureKind.Reinstatement && suspendedAt is { } suspended)
        {
            vu.Add($"Vu la décision du {FrenchTime.InParis(suspended).ToString("d MMMM yyyy", French)} suspendant cette dérogation ;");
        }

        var (title, article) = measure.Kind switch
        {
            GrantMeasureKind.Suspension => ("Décision portant suspension d'une dérogation",
                $"{derogation} est suspendue à compter de la notification de la présente décision. Pendant la suspension, aucun dispositif ne peut être mis à disposition au titre de cette dérogation."),
            GrantMeasureKind.Extension => ("Décision portant prolongation d'une dérogation annuelle",
                $"{derogation} est prolongée de douze mois, jusqu'au {measure.NewValidUntil?.ToString("d MMMM yyyy", French)} inclus, dans les conditions fixées par la décision du {granted}."),
            GrantMeasureKind.Reinstatement => ("Décision portant levée de la suspension d'une dérogation",
                $"{derogation} produit à nouveau ses effets à compter de la notification de la présente décision, dans les conditions fixées par la décision du {granted}."),
            GrantMeasureKind.Amendment => ("Décision portant modification des conditions d'une dérogation", ""),
            _ => ("Décision portant retrait d'une dérogation",
                $"{derogation} est retirée à compter de la notification de la présente décision."),
        };
        var articles = new List<LetterArticle> { new([article]) };
        if (measure.Kind == GrantMeasureKind.Amendment && measure.Conditions is { } amended)
        {
            var conditions = Conditions(amended);
            articles =
            [
                new([$"{derogation} est modifiée comme suit. Ses conditions sont désormais les suivantes :", .. conditions.Count > 0 ? conditions : ["aucune condition particulière."]]),
                new(["La durée de validité de la dérogation n'est pas modifiée par la présente décision."]),
                new([$"Les autres dispositions de la décision du {granted} demeurent inchangées."]),
            ];
        }

        var considering = Considering(measure.Reasons);
        return grant with
        {
            Date = DateOnly.FromDateTime(FrenchTime.InParis(measure.DecidedAt).Date),
            Subject = $"Objet : dérogation {kindText} à l'obligation de marquage CE n° {application.Reference} — dispositif « {device} »",
            Title = title,
            Vu = vu,
            Considering = considering,
            Articles = [.. articles, grant.Articles[^2], grant.Articles[^1]],
            SignatoryName = measure.SignatoryName,
            SignatoryTitle = measure.SignatoryTitle,
            SignedAt = source.Draft ? null : measure.DecidedAt,
        };
    }

    /// <summary>
    /// A decision rectifying a letter already signed: it names the letter it rectifies (date and verification code),
    /// says why, states the corrected wording and, for a grant, the conditions as they now stand; the rest of the
    /// rectified decision is unchanged.
    /// </summary>
    public static DecisionLetter BuildRectification(LetterSource source, RectifiedLetter rectified, string reasons, string correction,
        DecisionConditions? newConditions, string signatoryName, string signatoryTitle, DateTimeOffset signedAt)
    {
        var grant = Build(source);
        var application = source.Case;
        var kindText = application.Kind == ApplicationKind.Individual ? "individuelle" : "globale";
        var device = source.Case.Answers.Device.TradeName ?? application.DeviceName ?? "—";
        var date = FrenchTime.InParis(rectified.IssuedAt).ToString("d MMMM yyyy", French);
        var named = $"la décision du {date} relative à la demande de dérogation {kindText} n° {application.Reference} (code de vérification {rectified.VerificationCode})";
        var articles = new List<LetterArticle>
        {
            new([$"La présente décision rectifie {named}.", "Cette décision est rectifiée comme suit :", FrenchText.Sentence(correction)]),
        };
        if (newConditions is not null)
        {
            var conditions = Conditions(newConditions);
            articles.Add(new LetterArticle(conditions.Count > 0
                ? ["Les conditions de la dérogation sont désormais les suivantes :", .. conditions, Validity(newConditions, application.Kind == ApplicationKind.Individual)]
                : [Validity(newConditions, application.Kind == ApplicationKind.Individual)]));
        }

        articles.Add(new LetterArticle([$"Les autres dispositions de la décision du {date} demeurent inchangées."]));
        return grant with
        {
            Date = DateOnly.FromDateTime(FrenchTime.InParis(signedAt).Date),
            Subject = $"Objet : rectification de la décision du {date} — dispositif « {device} » — demande n° {application.Reference}",
            Title = $"Décision portant rectification de la décision du {date}",
            Vu = [.. grant.Vu.Take(2), $"Vu {named} ;"],
            Considering = Considering(reasons),
            Articles = [.. articles, grant.Articles[^2], grant.Articles[^1]],
            SignatoryName = signatoryName,
            SignatoryTitle = signatoryTitle,
            SignedAt = source.Draft ? null : signedAt,
        };
    }

    /// <summary>
    /// The manufacturer, and — for a manufacturer outside the Union — the authorised representative it acts through
    /// (MDR Art. 11), whose address in the Union the letter is also sent to.
    /// </summary>
    private static List<string> Addressee(ApplicationAnswers answers, LetterParty manufacturer)
    {
        var lines = new List<string> { manufacturer.LegalName };
        lines.AddRange(manufacturer.Address.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        lines.Add(manufacturer.Country);
        if (Representative(answers) is { } representative)
        {
            var parties = answers.Parties;
            lines.Add($"représenté par {representative}");
            lines.AddRange((parties.AuthorisedRepresentativeAddress ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (!string.IsNullOrWhiteSpace(parties.AuthorisedRepresentativeCountry))
            {
                lines.Add(parties.AuthorisedRepresentativeCountry.Trim());
            }
        }

        return lines;
    }

    /// <summary>The authorised representative's name, when the manufacturer is outside the Union and has named one.</summary>
    private static string? Representative(ApplicationAnswers answers) =>
        answers.Parties is { ManufacturerOutsideEu: true, AuthorisedRepresentativeName: { } name } && !string.IsNullOrWhiteSpace(name)
            ? $"{name.Trim()}, mandataire dans l'Union européenne"
            : null;

    /// <summary>"importateur, " or "distributeur, " before "pour le compte de" / "demandeur"; nothing for a consultancy.</summary>
    private static string FilerCapacity(ApplicationAnswers answers) => answers.Parties.FiledAs switch
    {
        FiledAs.Importer => "importateur, ",
        FiledAs.Distributor => "distributeur, ",
        _ => "",
    };

    /// <summary>
    /// The people who get a copy of the letter without an account: the authorised representative, the prescriber, the
    /// user of the device, the director, others named.
    /// </summary>
    public static IReadOnlyList<LetterRecipient> RecipientsWithoutAccount(ApplicationAnswers answers, LetterDecision decision, ApplicationKind kind)
    {
        var recipients = new List<LetterRecipient>();
        if (Representative(answers) is not null && !string.IsNullOrWhiteSpace(answers.Parties.AuthorisedRepresentativeEmail))
        {
            recipients.Add(new LetterRecipient(answers.Parties.AuthorisedRepresentativeName!.Trim(), answers.Parties.AuthorisedRepresentativeEmail.Trim()));
        }

        var professionals = answers.HealthProfessionals;
        if (kind == ApplicationKind.Individual && !string.IsNullOrWhiteSpace(professionals.PrescriberEmail))
        {
            recipients.Add(new LetterRecipient(professionals.PrescriberName ?? "Prescripteur", professionals.PrescriberEmail));
        }

        if (kind == ApplicationKind.Individual && !string.IsNullOrWhiteSpace(professionals.DeviceUserEmail))
        {
            recipients.Add(new LetterRecipient(professionals.DeviceUserName ?? "Utilisateur du dispositif", professionals.DeviceUserEmail));
        }

        if (kind == ApplicationKind.Individual && !string.IsNullOrWhiteSpace(professionals.DirectorEmail))
        {
            recipients.Add(new LetterRecipient(professionals.DirectorName ?? "Directeur d'établissement", professionals.DirectorEmail));
        }

        recipients.AddRange(decision.OtherRecipients);
        return recipients;
    }

    /// <summary>One "Considérant" per line of reasons, however the reviewer began it (<see cref="FrenchText.Considering"/>).</summary>
    private static List<string> Considering(string reasons) => [.. FrenchText.Considerants(reasons)];

    /// <summary>
    /// The scope of the derogation, one reference per line ("code — description"): run together, references typed on
    /// separate lines would make the legal scope ambiguous.
    /// </summary>
    private static List<string> References(ApplicationAnswers answers)
    {
        var references = answers.Device.ReferenceList is { Count: > 0 } list
            ? list.Select(r => string.IsNullOrWhiteSpace(r.Description) ? r.Code ?? "" : $"{r.Code} — {r.Description}").ToList()
            : FrenchText.Lines(answers.Device.References).Select(OneReference).ToList();
        return references.Count switch
        {
            0 => ["La dérogation couvre les références décrites dans la demande."],
            1 => ["La dérogation couvre la référence suivante :", .. FrenchText.Enumeration(references)],
            _ => [$"La dérogation couvre les {references.Count} références suivantes :", .. FrenchText.Enumeration(references)],
        };
    }

    /// <summary>"GS-500-24 : coffret 24 tests" as typed in the wizard, written "GS-500-24 — coffret 24 tests".</summary>
    private static string OneReference(string line)
    {
        var parts = line.Split(" : ", 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && parts[0].Length > 0 ? $"{parts[0]} — {parts[1]}" : line;
    }

    /// <summary>The conditions as an enumeration: what the reviewer typed, its own final punctuation removed, one separator each.</summary>
    private static List<string> Conditions(DecisionConditions conditions)
    {
        var items = new List<string>();
        if (conditions.MaxPatients is { } patients)
        {
            items.Add($"nombre maximal de patients : {patients.ToString("N0", French).Replace('\u202F', '\u00A0')}");
        }

        if (!string.IsNullOrWhiteSpace(conditions.Establishments))
        {
            items.Add($"établissements : {string.Join(" ; ", FrenchText.Lines(conditions.Establishments).Select(FrenchText.Bare))}");
        }

        if (!string.IsNullOrWhiteSpace(conditions.FollowUp))
        {
            items.Add($"suivi et déclarations : {FrenchText.Bare(conditions.FollowUp)}");
        }

        if (!string.IsNullOrWhiteSpace(conditions.Restrictions))
        {
            items.Add($"restrictions : {FrenchText.Bare(conditions.Restrictions)}");
        }

        return [.. FrenchText.Enumeration(items)];
    }

    private static string Validity(DecisionConditions conditions, bool individual)
    {
        string Day(DateOnly date) => date.ToString("d MMMM yyyy", French);
        return (conditions.ValidFrom, conditions.ValidUntil) switch
        {
            ({ } from, { } until) => $"La dérogation est valable du {Day(from)} au {Day(until)} inclus.",
            (null, { } until) => $"La dérogation est valable à compter de la notification de la présente décision et jusqu'au {Day(until)} inclus.",
            _ => individual
                ? "La dérogation vaut pour la seule prise en charge du patient mentionné à l'article 3."
                : "La dérogation est valable à compter de la notification de la présente décision.",
        };
    }

    private static List<string> CopyTo(ApplicationAnswers answers, LetterParty manufacturer, LetterParty filer, LetterDecision decision, bool individual)
    {
        var copies = new List<string>();
        if (filer.Id != manufacturer.Id)
        {
            copies.Add($"{filer.LegalName}, {FilerCapacity(answers)}demandeur");
        }

        if (Representative(answers) is { } representative)
        {
            copies.Add(representative);
        }

        var professionals = answers.HealthProfessionals;
        if (individual && !string.IsNullOrWhiteSpace(professionals.PrescriberName))
        {
            copies.Add($"{professionals.PrescriberName}, prescripteur" + (string.IsNullOrWhiteSpace(professionals.EstablishmentName) ? "" : $" — {professionals.EstablishmentName}"));
        }

        if (individual && !string.IsNullOrWhiteSpace(professionals.DeviceUserName))
        {
            copies.Add($"{professionals.DeviceUserName.Trim()}, utilisateur du dispositif" + (string.IsNullOrWhiteSpace(professionals.EstablishmentName) ? "" : $" — {professionals.EstablishmentName}"));
        }

        if (individual && !string.IsNullOrWhiteSpace(professionals.DirectorName))
        {
            copies.Add($"{professionals.DirectorName}, directeur de l'établissement" + (string.IsNullOrWhiteSpace(professionals.EstablishmentName) ? "" : $" — {professionals.EstablishmentName}"));
        }

        copies.AddRange(decision.OtherRecipients.Select(r => r.Name));
        return copies;
    }

    private static string Initial(string? letter) => string.IsNullOrEmpty(letter) ? "?" : letter.ToUpperInvariant();
}

/// <summary>Draws a <see cref="DecisionLetter"/> on A4 with PDFsharp (docs/adr/0005).</summary>
public static class DecisionLetterPdf
{
    private static readonly CultureInfo French = new("fr-FR");

    public static byte[] Render(DecisionLetter letter)
    {
        using var pdf = new FlowDocument($"Décision {letter.Reference}");
        if (letter.Draft)
        {
            pdf.Paragraph("PROJET — aperçu avant décision, sans valeur juridique", 11, bold: true);
        }

        pdf.Paragraph("RÉPUBLIQUE FRANÇAISE", 9, bold: true)
            .Paragraph(DecisionLetterBuilder.AnsmName, 10, bold: true)
            .Paragraph(DecisionLetterBuilder.Directorate, 9)
            .Paragraph(DecisionLetterBuilder.AnsmAddress, 8)
            .Space(6)
            .Paragraph($"Saint-Denis, le {letter.Date.ToString("d MMMM yyyy", French)}", 10, indent: 260)
            .Paragraph($"Réf. : {letter.Reference}", 10, indent: 260)
            .Space(4)
            .Paragraph(string.Join("\n", letter.Addressee), 10, indent: 260)
            .Space(8)
            .Paragraph(letter.Subject, 10, bold: true)
            .Heading(letter.Title, 13)
            .Paragraph("Le directeur général de l'Agence nationale de sécurité du médicament et des produits de santé,", 10);
        foreach (var vu in letter.Vu)
        {
            pdf.Paragraph(vu, 10);
        }

        foreach (var reason in letter.Considering)
        {
            pdf.Paragraph(reason, 10);
        }

        pdf.Paragraph("Décide :", 11, bold: true);
        for (var i = 0; i < letter.Articles.Count; i++)
        {
            var (number, paragraphs) = (i, letter.Articles[i].Paragraphs);
            // An article's heading never ends a page: it stays with its first paragraph.
            pdf.Keep(block =>
            {
                block.Paragraph(number == 0 ? "Article 1er" : $"Article {number + 1}", 10, bold: true);
                if (paragraphs.Count > 0)
                {
                    block.Paragraph(paragraphs[0], 10);
                }
            });
            foreach (var paragraph in paragraphs.Skip(1))
            {
                pdf.Paragraph(paragraph, 10);
            }
        }

        // Computed once, outside the block below: a block that runs over a page is laid out a second time, and the QR
        // code's encoding (eight masks scored) was a quarter of a letter's rendering when it ran twice (docs/performance.md).
        var qrModules = letter.VerificationCode is not null && letter.VerificationUrl is not null ? VerificationQr.Modules(letter.VerificationUrl) : null;

        // The signature (who signed, their title and when), the copies and the verification stay together: the end of
        // a letter never spills one line onto a page of its own.
        pdf.Space(10).Keep(block =>
        {
            block.Paragraph("Pour le directeur général et par délégation,", 10, indent: 260)
                .Paragraph(letter.SignatoryName, 10, bold: true, indent: 260)
                .Paragraph(letter.SignatoryTitle, 9, indent: 260);
            if (letter.SignedAt is { } signedAt)
            {
                block.Paragraph($"Signé le {FrenchTime.InParis(signedAt).ToString("d MMMM yyyy 'à' HH'h'mm", French)} (heure de Paris)", 8, indent: 260);
            }

            if (letter.CopyTo.Count > 0)
            {
                block.Space(8).Paragraph("Copie à :", 10, bold: true);
                foreach (var copy in letter.CopyTo)
                {
                    block.Paragraph("— " + copy, 9);
                }
            }

            if (letter.VerificationCode is not null)
            {
                block.Space(8).Rule()
                    .Paragraph($"Code de vérification : {letter.VerificationCode}", 9, bold: true)
                    .Paragraph($"L'authenticité de cette décision peut être vérifiée à l'adresse {letter.VerificationUrl}, ou en lisant ce code avec un téléphone :", 8);
                if (qrModules is not null)
                {
                    block.QrCode(qrModules, 72);
                }
            }
        });

        return pdf.Finish(letter.Draft ? $"PROJET — {letter.Reference}" : $"Décision {letter.Reference} — ANSM");
    }
}
