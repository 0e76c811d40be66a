using System.Diagnostics;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Letters;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Letters;

/// <summary>
/// What reviewers type, as it reads in the letter: considerants in correct French, enumerations without doubled
/// punctuation, a QR code a phone reads, and an end of letter that never stands alone on a page.
/// </summary>
public sealed class LetterTypographyTests
{
    private const string Verification = "https://derogations.ansm.example/verification/ABCD-EFGH-JKLM-NPQR";

    /// <summary>Reasons as reviewers write them: with or without "Considérant", "que", a final stop, a semicolon, a colon.</summary>
    public static readonly string[] Reasons =
    [
        "Considérant l'absence d'alternative thérapeutique marquée CE.",
        "Urgence vitale : le patient ne peut attendre la fin de l'investigation clinique.",
        "que le bénéfice attendu l'emporte sur les risques ;",
        "Considérant que les données de sécurité fournies sont suffisantes.",
        "Le dispositif a fait l'objet d'une évaluation favorable par l'organisme notifié..",
        "il n'existe pas de dispositif équivalent disponible en France;",
        "Aucune étude clinique en cours n'est ouverte à ce patient",
        "Considérant qu'un plan de marquage CE a été présenté.",
        "L'ANSM a reçu l'avis favorable de l'expert en cardiologie.",
        "Considérant Que l'établissement dispose de l'expertise nécessaire.",
        "ANSM : avis favorable du groupe d'experts,",
        "Les performances analytiques sont documentées sur 300 échantillons...",
        "Eu égard à la gravité de la pathologie, le pronostic vital est engagé à court terme.",
        "Elle est la seule option permettant d'éviter une amputation.",
        "Un suivi rapproché sera assuré par le CHU.",
        "Considérant que : la demande est complète.",
        "en l'absence de données de performances cliniques suffisantes ;",
        "Outre le dossier technique, le fabricant a transmis son plan de surveillance après commercialisation.",
        "Considérant qu'aucune autre option n'est envisageable .",
        "Il ressort de l'instruction que le risque résiduel est acceptable.",
    ];

    /// <summary>Conditions as reviewers type them in the decision form.</summary>
    public static readonly (string? Establishments, string? FollowUp, string? Restrictions)[] Conditions =
    [
        ("CHU de Lyon; CHU de Bordeaux.", "Déclarer tout incident à l'ANSM sans délai.", "Usage hospitalier uniquement."),
        (null, "Transmettre un bilan trimestriel ;", "Réservé aux centres de référence ;"),
        ("Hôpital européen Georges-Pompidou", null, "Implantation par un chirurgien formé au dispositif."),
        ("CHU de Nantes\nCHU de Rennes.", "Bilan à six mois.", null),
        (null, null, "Pas d'utilisation pédiatrique..."),
        ("Centres listés en annexe :", "Suivi : déclaration de chaque implantation,", "Usage unique."),
        ("AP-HP", "Registre des patients traités ; bilan annuel.", "Hors indications pédiatriques ;"),
        (null, "Informer l'ANSM de toute difficulté d'approvisionnement.", null),
        ("CHU de Lille.", null, "Uniquement après échec des traitements conventionnels."),
        ("Établissements autorisés en chirurgie cardiaque", "Bilan mensuel des implantations", "Jamais en ambulatoire !"),
        (null, "Déclaration des événements indésirables graves sous 48 heures;", "Usage limité à 12 mois."),
    ];

    public static TheoryData<int> ReasonCases() => new(Enumerable.Range(0, Reasons.Length));

    [Theory]
    [InlineData("Urgence vitale : le patient ne peut attendre.", "Considérant qu'urgence vitale : le patient ne peut attendre")]
    [InlineData("une alternative existe", "Considérant qu'une alternative existe")]
    [InlineData("que il n'existe pas d'alternative", "Considérant qu'il n'existe pas d'alternative")]
    [InlineData("Considérant que Aucune étude n'est ouverte.", "Considérant qu'aucune étude n'est ouverte")]
    [InlineData("Considérant l'absence d'alternative marquée CE.", "Considérant l'absence d'alternative marquée CE")]
    [InlineData("Le dispositif est sûr ;", "Considérant que le dispositif est sûr")]
    [InlineData("ANSM a reçu un avis favorable", "Considérant qu'ANSM a reçu un avis favorable")]
    [InlineData("CHU de Lyon : centre expert.", "Considérant que CHU de Lyon : centre expert")]
    public void Considering_ElidesQue_BeforeAVowel_AndLowersTheFirstWordButNotAnAcronym(string typed, string expected) =>
        Assert.Equal(expected, FrenchText.Considering(typed));

    [Fact]
    public void Enumeration_EndsEachItemWithOneSeparator_AndTheLastWithAFullStop()
    {
        Assert.Equal(["— établissements : CHU de Lyon ;", "— restrictions : usage hospitalier uniquement."],
            FrenchText.Enumeration(["établissements : CHU de Lyon.", "restrictions : usage hospitalier uniquement ;"]));
        Assert.Equal("Adultes en reprise partielle.", FrenchText.Sentence("Adultes en reprise partielle ..."));
        Assert.Equal("Vraiment ?", FrenchText.Sentence("Vraiment ?"));
    }

    [Fact]
    public async Task TheCorpus_OfReasonsAndConditions_ReadsWithoutDoubledPunctuation_AndWithElision()
    {
        Assert.True(Reasons.Length + Conditions.Length >= 30);
        for (var i = 0; i < Math.Max(Reasons.Length, Conditions.Length); i++)
        {
            var (establishments, followUp, restrictions) = Conditions[i % Conditions.Length];
            var reasons = string.Join("\n", Reasons.Skip(i % Reasons.Length).Take(3));
            var kind = i % 2 == 0 ? ApplicationKind.Global : ApplicationKind.Individual;
            var source = LetterSamples.Grant(kind, reasons, new DecisionConditions
            {
                ValidUntil = new DateOnly(2027, 6, 30), MaxPatients = 12000, Establishments = establishments, FollowUp = followUp, Restrictions = restrictions,
            }, Verification);
            var text = Flat(await PdfText.ReadAsync(DecisionLetterPdf.Render(DecisionLetterBuilder.Build(source))));

            foreach (var wrong in new[] { ". ;", "..", ";.", "; ;", ",.", ", ;", ": ;", ":." })
            {
                Assert.False(text.Contains(wrong, StringComparison.Ordinal), $"'{wrong}' in the letter for case {i}: {Around(text, wrong)}");
            }

            Assert.DoesNotMatch(@"\bque [aeiouyàâäéèêëîïôöùûüAEIOUYÀÂÉÈÊÎÔÛ]", text);
            Assert.Contains("nombre maximal de patients : 12 000 ;", text);
        }
    }

    [Fact]
    public async Task TheQrCode_OnTheLetter_DecodesToTheVerificationAddress()
    {
        var pdf = DecisionLetterPdf.Render(DecisionLetterBuilder.Build(LetterSamples.Grant(ApplicationKind.Global, Reasons[0], new DecisionConditions { ValidUntil = new DateOnly(2027, 6, 30) }, Verification)));
        var pages = Regex.Matches(await PdfText.ReadAsync(pdf), "\f").Count + 1;

        var decoded = await DecodeQrAsync(pdf);

        Assert.Equal(Verification, decoded);
        Assert.True(pages >= 1);
    }

    [Fact]
    public async Task TheEndOfALetter_NeverStandsAlone_TheVerificationStaysWithTheSignatureAndTheCopies()
    {
        // Reasons of every length move the end of the letter down the page, past the bottom margin at some point.
        for (var lines = 1; lines <= 45; lines++)
        {
            var reasons = string.Join("\n", Enumerable.Range(1, lines).Select(i => $"que l'élément n° {i} du dossier a été examiné"));
            var source = LetterSamples.Grant(ApplicationKind.Individual, reasons, new DecisionConditions { ValidUntil = new DateOnly(2027, 6, 30), Restrictions = "Usage hospitalier." }, Verification);
            var pages = (await PdfText.ReadAsync(DecisionLetterPdf.Render(DecisionLetterBuilder.Build(source)))).Split('\f', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => p.Trim().Length > 0).ToList();
            var last = Flat(pages[^1]);
            Assert.Contains("Pour le directeur général et par délégation,", last);
            Assert.Contains("Copie à :", last);
            Assert.Contains("Code de vérification : ABCD-EFGH-JKLM-NPQR", last);
            // An article's heading is never the last line of a page.
            foreach (var page in pages)
            {
                var body = page.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("Décision ", StringComparison.Ordinal) && !l.Contains("page ", StringComparison.Ordinal)).ToList();
                Assert.DoesNotMatch(@"^Article \d+(er)?$", body[^1]);
            }
        }
    }

    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    private static string Around(string text, string part)
    {
        var at = text.IndexOf(part, StringComparison.Ordinal);
        return text.Substring(Math.Max(0, at - 60), Math.Min(120, text.Length - Math.Max(0, at - 60)));
    }

    /// <summary>Renders every page as a phone's camera would see the print (poppler), then reads the QR code with zbar.</summary>
    private static async Task<string> DecodeQrAsync(byte[] pdf)
    {
        var folder = Directory.CreateTempSubdirectory("derogation-qr-").FullName;
        try
        {
            var path = Path.Combine(folder, "letter.pdf");
            await File.WriteAllBytesAsync(path, pdf);
            await RunAsync("pdftoppm", "-r", "150", "-png", path, Path.Combine(folder, "page"));
            var images = Directory.GetFiles(folder, "page*.png").Order().ToArray();
            var output = await RunAsync("zbarimg", ["--quiet", "--raw", .. images]);
            return output.Trim();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<string> RunAsync(string tool, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} not found (Debian: poppler-utils, zbar-tools)");
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        // zbarimg complains on stderr when no D-Bus runs (a container); what it decoded is on stdout either way.
        return process.ExitCode == 0 || output.Length > 0 ? output : throw new InvalidOperationException($"{tool} exited with {process.ExitCode}: {errors}");
    }
}

/// <summary>Letter sources for tests: a realistic application, its manufacturer and filer, a grant with the conditions given.</summary>
public static class LetterSamples
{
    public static LetterSource Grant(ApplicationKind kind, string reasons, DecisionConditions conditions, string verificationAddress)
    {
        var answers = new ApplicationAnswers();
        answers.Parties.LegalBasis = LegalBasis.MedicalDevice;
        answers.Device.TradeName = "Valve cardiaque Épsilon";
        answers.Device.Model = "EPS-29";
        answers.Device.References = "EPS-29-A : valve 29 mm\nEPS-29-B : valve 29 mm, introducteur long";
        answers.Device.ReferenceList = kind == ApplicationKind.Global
            ? [new DeviceReference { Code = "REF-001", Description = "Tête fémorale 28 mm." }, new DeviceReference { Code = "REF-002", Description = "Insert ; polyéthylène" }]
            : [];
        answers.GlobalScope.TargetPopulation = "Adultes en reprise partielle de prothèse de hanche.";
        answers.Patient.LastNameInitial = "D";
        answers.Patient.FirstNameInitial = "E";
        answers.Patient.YearOfBirth = 1962;
        answers.HealthProfessionals.PrescriberName = "Dr Claire Fontaine";
        answers.HealthProfessionals.EstablishmentName = "CHU de Nulle-Part";
        answers.HealthProfessionals.DirectorName = "Paul Directeur";
        var manufacturer = new Organisation { Id = Guid.NewGuid(), Kind = OrganisationKind.Manufacturer, LegalName = "Demo MedTech GmbH", Address = "Musterstraße 1, 10115 Berlin", Country = "Allemagne" };
        var application = new Application
        {
            Id = Guid.NewGuid(), Kind = kind, Status = ApplicationStatus.UnderReview, Reference = kind == ApplicationKind.Individual ? "DIV-2026-00042" : "DGL-2026-00042",
            LegalBasis = LegalBasis.MedicalDevice, FilingOrganisationId = manufacturer.Id, ManufacturerId = manufacturer.Id, SubmittedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        };
        var decision = new Decision
        {
            Outcome = DecisionOutcome.Grant, Reasons = reasons, Conditions = conditions, SignatoryName = "Samuel Girard",
            SignatoryTitle = "Directeur des dispositifs médicaux et des dispositifs de diagnostic in vitro", Version = 1,
            DecidedAt = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero), OtherRecipients = [new LetterRecipient("Agence régionale de santé d'Île-de-France", "ars@example.fr")],
        };
        return new LetterSource(LetterFacts.Case(application, answers, manufacturer, manufacturer), LetterFacts.Decision(decision), "ABCD-EFGH-JKLM-NPQR", verificationAddress, Draft: false);
    }
}
