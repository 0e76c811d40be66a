using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Letters;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Letters;

/// <summary>The decision letter read back as a person would select its text (pdftotext), for every kind of decision.</summary>
public sealed class DecisionLetterTests
{
    private static readonly Organisation Manufacturer = new()
    {
        Id = Guid.NewGuid(), Kind = OrganisationKind.Manufacturer, LegalName = "Demo MedTech GmbH", Address = "Musterstraße 1, 10115 Berlin", Country = "Allemagne",
    };

    private static readonly Organisation Consultancy = new()
    {
        Id = Guid.NewGuid(), Kind = OrganisationKind.Consultancy, LegalName = "Conseil Réglementaire Démo SAS", Address = "1 rue de la Paix, 75002 Paris", Country = "France",
    };

    private static LetterSource Source(ApplicationKind kind, LegalBasis basis, DecisionOutcome outcome, string reasons = "Considérant l'absence d'alternative marquée CE ;\nle bénéfice attendu l'emporte sur les risques.", int references = 2)
    {
        var answers = new ApplicationAnswers();
        answers.Parties.LegalBasis = basis;
        answers.Device.TradeName = "Valve cardiaque Épsilon";
        answers.Device.Model = "EPS-29";
        answers.Device.References = "EPS-29-A";
        answers.GlobalScope.TargetPopulation = "Adultes en reprise partielle de prothèse de hanche";
        answers.Device.ReferenceList = kind == ApplicationKind.Global
            ? Enumerable.Range(1, references).Select(i => new DeviceReference { Code = $"REF-{i:000}", Description = $"Élément de révision n° {i}, taille {i % 7}" }).ToList()
            : [];
        answers.Patient.LastNameInitial = "d";
        answers.Patient.FirstNameInitial = "é";
        answers.Patient.YearOfBirth = 1962;
        answers.Patient.MedicalContext = "Contexte médical confidentiel qui ne doit jamais figurer sur la lettre";
        answers.HealthProfessionals.PrescriberName = "Dr Claire Fontaine";
        answers.HealthProfessionals.PrescriberEmail = "c.fontaine@chu.example";
        answers.HealthProfessionals.EstablishmentName = "CHU de Nulle-Part";
        answers.HealthProfessionals.DirectorName = "Paul Directeur";
        answers.HealthProfessionals.DirectorEmail = "direction@chu.example";
        var prefix = kind == ApplicationKind.Individual ? "DIV" : "DGL";
        var application = new Application
        {
            Id = Guid.NewGuid(), Kind = kind, Status = ApplicationStatus.UnderReview, Reference = $"{prefix}-2026-00042", LegalBasis = basis,
            FilingOrganisationId = Consultancy.Id, ManufacturerId = Manufacturer.Id, SubmittedAt = new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero),
        };
        var decision = new Decision
        {
            Outcome = outcome,
            Reasons = reasons,
            Conditions = outcome == DecisionOutcome.Grant
                ? new DecisionConditions { ValidFrom = new DateOnly(2026, 12, 1), ValidUntil = new DateOnly(2027, 5, 31), MaxPatients = 3, FollowUp = "Déclarer tout incident à l'ANSM sans délai", Restrictions = "Usage hospitalier uniquement" }
                : new DecisionConditions(),
            SignatoryName = "Samuel Girard",
            SignatoryTitle = "Directeur des dispositifs médicaux et des dispositifs de diagnostic in vitro",
            Version = 2,
            DecidedAt = new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero),
            OtherRecipients = [new LetterRecipient("Agence régionale de santé d'Île-de-France", "ars@example.fr")],
        };
        return new LetterSource(LetterFacts.Case(application, answers, Manufacturer, Consultancy), LetterFacts.Decision(decision), "ABCD-EFGH-JKLM-NPQR",
            "https://derogations.ansm.example/verification/ABCD-EFGH-JKLM-NPQR", Draft: false);
    }

    private static async Task<string> TextAsync(LetterSource source) =>
        await PdfText.ReadAsync(DecisionLetterPdf.Render(DecisionLetterBuilder.Build(source)));

    private static string Flat(string text) => Regex.Replace(text, @"\s+", " ");

    public static TheoryData<ApplicationKind, LegalBasis, DecisionOutcome> Cases()
    {
        var data = new TheoryData<ApplicationKind, LegalBasis, DecisionOutcome>();
        foreach (var kind in new[] { ApplicationKind.Individual, ApplicationKind.Global })
        {
            foreach (var basis in new[] { LegalBasis.MedicalDevice, LegalBasis.InVitroDiagnostic })
            {
                foreach (var outcome in new[] { DecisionOutcome.Grant, DecisionOutcome.Refuse })
                {
                    data.Add(kind, basis, outcome);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Letter_CarriesEveryElement_WithTheRightLegalBasis(ApplicationKind kind, LegalBasis basis, DecisionOutcome outcome)
    {
        var text = Flat(await TextAsync(Source(kind, basis, outcome)));
        var reference = kind == ApplicationKind.Individual ? "DIV-2026-00042" : "DGL-2026-00042";
        var kindText = kind == ApplicationKind.Individual ? "individuelle" : "globale";

        // Letterhead, date, reference, addressee, subject.
        Assert.Contains("Agence nationale de sécurité du médicament et des produits de santé", text);
        Assert.Contains("143/147, boulevard Anatole France — F-93285 Saint-Denis Cedex", text);
        Assert.Contains("Saint-Denis, le 21 novembre 2026", text);
        Assert.Contains($"Réf. : {reference}", text);
        Assert.Contains("Demo MedTech GmbH Musterstraße 1, 10115 Berlin Allemagne", text);
        Assert.Contains($"Objet : demande de dérogation {kindText} à l'obligation de marquage CE — dispositif « Valve cardiaque Épsilon » — demande n° {reference}", text);

        // "Vu": the regulation and the public health code article of the device's legal basis, and nothing of the other.
        var (regulation, code, other) = basis == LegalBasis.MedicalDevice
            ? ("règlement (UE) 2017/745", "article L. 5211-3 II", "2017/746")
            : ("règlement (UE) 2017/746", "article L. 5221-3 II", "2017/745");
        Assert.Contains($"Vu le {regulation}", text);
        Assert.Contains(basis == LegalBasis.MedicalDevice ? "notamment son article 59 ;" : "notamment son article 54 ;", text);
        Assert.Contains($"Vu le code de la santé publique, notamment son {code} ;", text);
        Assert.DoesNotContain(other, text);
        Assert.Contains($"Vu la demande de dérogation {kindText} n° {reference} déposée le 2 novembre 2026 par Conseil Réglementaire Démo SAS, pour le compte de Demo MedTech GmbH", text);

        // Reasons, each a "Considérant".
        Assert.Contains("Considérant l'absence d'alternative marquée CE ;", text);
        Assert.Contains("Considérant que le bénéfice attendu l'emporte sur les risques ;", text);

        // Articles.
        Assert.Contains("Décide : Article 1er", text);
        if (outcome == DecisionOutcome.Grant)
        {
            Assert.Contains($"Une dérogation {kindText} à l'obligation de marquage CE", text);
            Assert.Contains("est accordée à Demo MedTech GmbH pour le dispositif « Valve cardiaque Épsilon », modèle EPS-29.", text);
            Assert.Contains("nombre maximal de patients : 3", text);
            Assert.Contains("Déclarer tout incident à l'ANSM sans délai", text);
            Assert.Contains("restrictions : Usage hospitalier uniquement", text);
            Assert.Contains("La dérogation est valable du 1 décembre 2026 au 31 mai 2027 inclus.", text);
            Assert.Contains(kind == ApplicationKind.Global ? "— REF-002 — Élément de révision n° 2, taille 2." : "La dérogation couvre la référence suivante : — EPS-29-A.", text);
            // What the law attaches to a grant, whatever the reviewer typed.
            Assert.Contains(kind == ApplicationKind.Individual
                ? "L'opérateur peut mettre le dispositif à la disposition de l'établissement de santé et du professionnel de santé mentionnés ci-dessus, pour la seule prise en charge du patient concerné."
                : "L'opérateur peut mettre le dispositif à la disposition de tout établissement de santé ou professionnel de santé qui en a besoin, pour l'indication autorisée", text);
            Assert.Contains("informe clairement le patient que le dispositif n'est pas revêtu du marquage CE et recueille son consentement libre et éclairé", text);
            Assert.Contains($"déclaré sans délai à l'ANSM au titre de la {(basis == LegalBasis.MedicalDevice ? "matériovigilance" : "réactovigilance")}.", text);
            Assert.Contains("La présente dérogation vaut pour le seul territoire français", text);
            Assert.Contains("elle peut la suspendre ou la retirer à tout moment", text);
            if (kind == ApplicationKind.Global)
            {
                Assert.Contains("Elle vaut pour l'indication et la population suivantes : Adultes en reprise partielle de prothèse de hanche.", text);
            }
            else
            {
                Assert.DoesNotContain("indication et la population", text);
            }
        }
        else
        {
            Assert.Contains($"n° {reference}, présentée pour le dispositif « Valve cardiaque Épsilon », modèle EPS-29, est refusée.", text);
            Assert.Contains("L'opérateur ne peut pas mettre à disposition le dispositif objet de la demande au titre d'une dérogation à l'obligation de marquage CE.", text);
            Assert.DoesNotContain("est accordée", text);
            Assert.DoesNotContain("consentement", text);
        }

        // The patient: initials and year of birth only, and only on an individual grant.
        Assert.DoesNotContain("Contexte médical", text);
        if (kind == ApplicationKind.Individual && outcome == DecisionOutcome.Grant)
        {
            Assert.Contains("identifié par les initiales D. É., né(e) en 1962", text);
        }
        else
        {
            Assert.DoesNotContain("1962", text);
        }

        // Signature, copies, verification, page numbers.
        Assert.Contains("Pour le directeur général et par délégation, Samuel Girard Directeur des dispositifs médicaux", text);
        Assert.Contains("Copie à : — Conseil Réglementaire Démo SAS, demandeur", text);
        if (kind == ApplicationKind.Individual)
        {
            Assert.Contains("— Dr Claire Fontaine, prescripteur — CHU de Nulle-Part", text);
            Assert.Contains("— Paul Directeur, directeur de l'établissement — CHU de Nulle-Part", text);
        }

        Assert.Contains("— Agence régionale de santé d'Île-de-France", text);
        Assert.Contains("Code de vérification : ABCD-EFGH-JKLM-NPQR", text);
        Assert.Contains("https://derogations.ansm.example/verification/ABCD-EFGH-JKLM-NPQR", text);
        Assert.Matches(@"page 1 / \d", text);
    }

    [Fact]
    public async Task FivePageCase_LongReasonsAnd40References_FlowsOverPages_WithoutLosingALine()
    {
        var reasons = string.Join("\n", Enumerable.Range(1, 30).Select(i =>
            $"Considérant, au point {i}, que les données de sécurité et de performances fournies par le fabricant pour la révision partielle des systèmes déjà implantés établissent un rapport bénéfice/risque favorable dans l'indication visée ;"));
        var raw = await TextAsync(Source(ApplicationKind.Global, LegalBasis.MedicalDevice, DecisionOutcome.Grant, reasons, references: 40));
        var pages = raw.Split('\f', StringSplitOptions.RemoveEmptyEntries).Where(p => p.Trim().Length > 0).ToList();
        Assert.True(pages.Count >= 5, $"Expected at least five pages, got {pages.Count}.");
        for (var i = 0; i < pages.Count; i++)
        {
            Assert.Contains($"page {i + 1} / {pages.Count}", pages[i]);
        }

        var text = Flat(raw);
        for (var i = 1; i <= 30; i++)
        {
            Assert.Contains($"Considérant, au point {i}, que les données", text);
        }

        for (var i = 1; i <= 40; i++)
        {
            Assert.Single(Regex.Matches(text, $@"REF-{i:000} — Élément de révision n° {i},"));
        }

        Assert.Contains("La dérogation couvre les 40 références suivantes :", text);
        Assert.Contains("Code de vérification : ABCD-EFGH-JKLM-NPQR", pages[^1]);
    }

    [Fact]
    public async Task TheSignatureBlock_NamesWhoSignedAndWhen_AndIsNeverSplitAcrossPages()
    {
        // Reasons of every length move the signature block down the page, past the bottom margin at some point.
        for (var lines = 1; lines <= 40; lines++)
        {
            var reasons = string.Join("\n", Enumerable.Range(1, lines).Select(i => $"que l'élément n° {i} du dossier a été examiné"));
            var pages = (await TextAsync(Source(ApplicationKind.Global, LegalBasis.MedicalDevice, DecisionOutcome.Grant, reasons))).Split('\f');
            var signed = Assert.Single(pages, page => page.Contains("Pour le directeur général et par délégation,", StringComparison.Ordinal));
            var flat = Flat(signed);
            Assert.Contains("Samuel Girard Directeur des dispositifs médicaux", flat);
            Assert.Contains("Signé le 21 novembre 2026 à 11h00 (heure de Paris)", flat);
        }
    }

    [Fact]
    public async Task Preview_IsMarkedAsADraft_AndCarriesNoVerificationCode()
    {
        var text = Flat(await TextAsync(Source(ApplicationKind.Individual, LegalBasis.MedicalDevice, DecisionOutcome.Grant) with { Draft = true }));
        Assert.StartsWith("PROJET — aperçu avant décision, sans valeur juridique", text.Trim());
        Assert.Contains("PROJET — DIV-2026-00042", text);
        Assert.DoesNotContain("Code de vérification", text);
    }

    [Fact]
    public void VerificationCodes_AreRandom_FourGroupsOfFour_WithoutLookAlikes()
    {
        var codes = Enumerable.Range(0, 2000).Select(_ => DecisionService.NewVerificationCode()).ToList();
        Assert.All(codes, code => Assert.Matches("^[A-HJ-NP-Z2-9]{4}(-[A-HJ-NP-Z2-9]{4}){3}$", code));
        Assert.Equal(codes.Count, codes.Distinct().Count());
    }
}
