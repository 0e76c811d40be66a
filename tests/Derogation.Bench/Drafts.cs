using System.Net;

namespace Derogation.Bench;

/// <summary>Drafts created and filled through the portal's own forms, as the demo manufacturer.</summary>
public static class Drafts
{
    public const string Email = "fabricant@demo.test";
    public const string Password = "Demo-Derogation-2026!";

    /// <summary>The first step's answers: what the "save a wizard step" scenario posts again and again.</summary>
    public static readonly Dictionary<string, string> Parties = new()
    {
        ["Input.FiledAs"] = "Manufacturer", ["Input.LegalBasis"] = "InVitroDiagnostic", ["Input.ContactName"] = "Anna Becker",
        ["Input.ContactEmail"] = "anna.becker@medtech.example", ["Input.ContactPhone"] = "+49 30 1234567", ["action"] = "continuer",
    };

    /// <summary>Every step before the documents, so that the documents step opens.</summary>
    private static readonly (string Slug, Dictionary<string, string> Fields)[] BeforeDocuments =
    [
        ("parties", Parties),
        ("dispositif", new()
        {
            ["Input.TradeName"] = "GenoScreen NGS Panel", ["Input.Model"] = "GS-500", ["Input.References"] = "GS-500-24", ["Input.RiskClass"] = "C",
            ["Input.IntendedPurpose"] = "Détection de variants rares.", ["Input.MethodPrinciple"] = "Séquençage.", ["Input.InterpretationPrinciple"] = "Comparaison.",
            ["Input.StabilityData"] = "12 mois.", ["Input.StorageConditions"] = "-20 °C.", ["action"] = "continuer",
        }),
        ("marquage-ce", new()
        {
            ["Input.ReasonNoCeMarking"] = "En cours.", ["Input.CeStatus"] = "InProgress", ["Input.ExpectedCertificationDate"] = "2027-03-31",
            ["Input.CeMarkingCommitment"] = "2027.", ["Input.StudyStatus"] = "Close.", ["Input.WhyNotInStudy"] = "Close.", ["action"] = "continuer",
        }),
        ("patient", new()
        {
            ["Input.LastNameInitial"] = "D", ["Input.FirstNameInitial"] = "E", ["Input.YearOfBirth"] = "1962", ["Input.MedicalContext"] = "Contexte.",
            ["Input.Urgency"] = "Urgent", ["Input.UrgencyJustification"] = "Sous un mois.", ["Input.NeedJustification"] = "Aucun test.",
            ["Input.NoAlternativeJustification"] = "Aucun.", ["action"] = "continuer",
        }),
        ("professionnels", new()
        {
            ["Input.PrescriberName"] = "Dr Claire Fontaine", ["Input.PrescriberSpecialty"] = "Neurologie", ["Input.PrescriberEmail"] = "c.fontaine@chu.example",
            ["Input.EstablishmentName"] = "CHU", ["Input.EstablishmentFiness"] = "750712184", ["Input.EstablishmentAddress"] = "1 place de l'Hôpital, Paris",
            ["Input.DirectorName"] = "Paul Directeur", ["Input.DirectorEmail"] = "direction@chu.example", ["action"] = "continuer",
        }),
        ("securite-performances", new()
        {
            ["Input.AnalyticalPerformance"] = "99 %.", ["Input.ClinicalPerformance"] = "98 %.", ["Input.BenefitRisk"] = "Favorable.", ["action"] = "continuer",
        }),
    ];

    /// <summary>A new draft of the signed-in manufacturer; returns its id and an antiforgery token for its forms.</summary>
    public static async Task<(Guid Id, string Token)> CreateAsync(HttpClient client)
    {
        var token = PortalClient.Token(await client.GetStringAsync("/demandes/individuelle/nouvelle"));
        var created = await client.PostAsync("/demandes/individuelle/nouvelle", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
        var location = created.Headers.Location?.OriginalString ?? throw new InvalidOperationException($"No draft created ({(int)created.StatusCode}).");
        return (Guid.Parse(location.Split('/')[2]), token);
    }

    public static async Task<HttpResponseMessage> SaveStepAsync(HttpClient client, Guid id, string slug, Dictionary<string, string> fields, string token)
    {
        var response = await client.PostAsync($"/demandes/{id}/{slug}", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Step {slug} was not saved ({(int)response.StatusCode}).");
        }

        return response;
    }

    /// <summary>Fills every step before the documents, so the documents step can be opened.</summary>
    public static async Task FillUpToDocumentsAsync(HttpClient client, Guid id, string token)
    {
        foreach (var (slug, fields) in BeforeDocuments)
        {
            await SaveStepAsync(client, id, slug, fields, token);
        }
    }
}
