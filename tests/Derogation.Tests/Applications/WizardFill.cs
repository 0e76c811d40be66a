using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Applications;

/// <summary>Complete, valid answers for each step of the individual wizard, as a careful applicant would type them.</summary>
public static class WizardFill
{
    public static readonly (string Slug, Dictionary<string, string> Fields)[] Individual =
    [
        ("parties", new()
        {
            ["Input.FiledAs"] = "Manufacturer", ["Input.LegalBasis"] = "InVitroDiagnostic", ["Input.ContactName"] = "Anna Becker",
            ["Input.ContactEmail"] = "anna.becker@medtech.example", ["Input.ContactPhone"] = "+49 30 1234567",
        }),
        ("dispositif", new()
        {
            ["Input.TradeName"] = "GenoScreen NGS Panel", ["Input.Model"] = "GS-500", ["Input.References"] = "GS-500-24 : coffret 24 tests",
            ["Input.RiskClass"] = "C", ["Input.IntendedPurpose"] = "Détection de variants rares du gène ABCD1.",
            ["Input.MethodPrinciple"] = "Séquençage de nouvelle génération.", ["Input.InterpretationPrinciple"] = "Comparaison à la séquence de référence.",
            ["Input.StabilityData"] = "12 mois à -20 °C.", ["Input.StorageConditions"] = "-20 °C, à l'abri de la lumière.",
        }),
        ("marquage-ce", new()
        {
            ["Input.ReasonNoCeMarking"] = "Dossier de marquage en cours d'évaluation.", ["Input.CeStatus"] = "InProgress",
            ["Input.ExpectedCertificationDate"] = "2027-03-31", ["Input.CeMarkingCommitment"] = "Marquage CE visé pour 2027.",
            ["Input.StudyStatus"] = "Étude de performances clôturée en 2025.", ["Input.WhyNotInStudy"] = "L'étude est close.",
        }),
        ("patient", new()
        {
            ["Input.LastNameInitial"] = "d", ["Input.FirstNameInitial"] = "É", ["Input.YearOfBirth"] = "1962",
            ["Input.MedicalContext"] = "Adrénoleucodystrophie suspectée, symptômes depuis 2024.", ["Input.Urgency"] = "Urgent",
            ["Input.UrgencyJustification"] = "Décision thérapeutique attendue sous un mois.",
            ["Input.NeedJustification"] = "Aucun test disponible pour ce variant.", ["Input.NoAlternativeJustification"] = "Aucun DMDIV marqué CE ne détecte ce variant.",
        }),
        ("professionnels", new()
        {
            ["Input.PrescriberName"] = "Dr Claire Fontaine", ["Input.PrescriberSpecialty"] = "Neurologie", ["Input.PrescriberEmail"] = "c.fontaine@chu.example",
            ["Input.EstablishmentName"] = "CHU de Nulle-Part", ["Input.EstablishmentFiness"] = "750712184",
            ["Input.EstablishmentAddress"] = "1 place de l'Hôpital, 75000 Paris", ["Input.DirectorName"] = "Paul Directeur", ["Input.DirectorEmail"] = "direction@chu.example",
        }),
        ("securite-performances", new()
        {
            ["Input.AnalyticalPerformance"] = "Sensibilité 99,2 %, spécificité 99,8 %.", ["Input.ClinicalPerformance"] = "Concordance 98 % sur 300 échantillons.",
            ["Input.BenefitRisk"] = "Bénéfice diagnostique élevé, risque limité à un prélèvement sanguin.",
        }),
        ("declarations", new()
        {
            ["Input.InformationAccurate"] = "true", ["Input.GsprConformity"] = "true", ["Input.PrecautionsTaken"] = "true",
            ["Input.DocumentsAnonymised"] = "true", ["Input.CommitsToCeMarking"] = "true",
        }),
    ];
}

/// <summary>Uploading documents through the documents step, as the browser's form does.</summary>
public static class WizardDocuments
{
    /// <summary>A small, real, well-formed PDF with a text layer, one page per text given.</summary>
    public static byte[] Pdf(params string[] pages)
    {
        using var pdf = new Derogation.Core.Letters.FlowDocument("Document de test");
        var first = true;
        foreach (var text in pages.Length == 0 ? ["Document de test"] : pages)
        {
            if (!first)
            {
                // A new page: the flow moves on when a page is full.
                pdf.KeepTogether(10_000);
            }

            pdf.Paragraph(text);
            first = false;
        }

        return pdf.Finish("Pièce justificative");
    }

    /// <summary>
    /// A manufacturer's client on the real server (<paramref name="address"/>) and a draft of theirs filled up to its
    /// documents: for the tests that send or fetch large files over a socket.
    /// </summary>
    public static async Task<(HttpClient Client, Guid DraftId)> DraftOnRealServerAsync(PortalFactory portal, Uri address)
    {
        var user = await portal.CreateUserAsync(Derogation.Core.Organisations.Roles.Manufacturer);
        var cookies = new System.Net.CookieContainer();
        cookies.Add(address, new System.Net.Cookie("derogation.auth", await portal.AuthenticationCookieForAsync(user)));
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "declarations"))
        {
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        return (client, id);
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid draftId, string type, string fileName, HttpContent file, bool anonymised = false)
    {
        var page = await Infrastructure.Html.ParseAsync(await client.GetAsync($"/demandes/{draftId}/documents"));
        var form = page.QuerySelector("form[action*='handler=Upload']")!;
        using var content = new MultipartFormDataContent
        {
            { new StringContent(form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!), "__RequestVerificationToken" },
            { new StringContent(form.QuerySelector("input[name='RowVersion']")!.GetAttribute("value")!), "RowVersion" },
            { new StringContent(type), "DocumentType" },
            { file, "Upload", fileName },
        };
        if (anonymised)
        {
            content.Add(new StringContent("true"), "Anonymised");
        }

        return await client.PostAsync(form.GetAttribute("action"), content);
    }

    /// <summary>The asterisked documents of a global application (the assessment report when earlier derogations are declared).</summary>
    public static async Task UploadGlobalAsync(HttpClient client, Guid draftId, bool earlierDerogationsDeclared)
    {
        var types = new List<string> { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription", "CeMarkingPlan" };
        if (earlierDerogationsDeclared)
        {
            types.Add("EarlierDerogationsAssessment");
        }

        foreach (var type in types)
        {
            var response = await UploadAsync(client, draftId, type, $"{type}.pdf", new ByteArrayContent(Pdf(type)));
            Xunit.Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        }
    }

    /// <summary>
    /// Every asterisked document of an individual application, then "Continuer". Whoever files: someone filing under
    /// a mandate does not upload it, the portal holds it and attaches it at submission.
    /// </summary>
    /// <summary>Confirms, as the applicant does one by one, that each document carried over from an earlier application still applies.</summary>
    public static async Task ConfirmCarriedOverAsync(HttpClient client, Guid draftId)
    {
        var page = await Infrastructure.Html.ParseAsync(await client.GetAsync($"/demandes/{draftId}/documents"));
        foreach (var form in page.QuerySelectorAll("form[action*='handler=Confirm']").ToList())
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = form.QuerySelector("input[name='__RequestVerificationToken']")!.GetAttribute("value")!,
            });
            var confirmed = await client.PostAsync(form.GetAttribute("action"), content);
            Xunit.Assert.Equal(System.Net.HttpStatusCode.Redirect, confirmed.StatusCode);
        }
    }

    public static async Task CompleteAsync(HttpClient client, Guid draftId)
    {
        var types = new List<string> { "GsprDeclaration", "SafetyPerformanceSummary", "DeviceDescription", "MedicalJustification" };
        foreach (var type in types)
        {
            var response = await UploadAsync(client, draftId, type, $"{type}.pdf", new ByteArrayContent(Pdf(type)), anonymised: type == "MedicalJustification");
            Xunit.Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);
        }

        var continued = await client.SubmitAsync($"/demandes/{draftId}/documents", new Dictionary<string, string>(), "form[action*='handler=Continue']");
        Xunit.Assert.Equal($"/demandes/{draftId}/declarations", continued.Headers.Location?.OriginalString);
    }
}
