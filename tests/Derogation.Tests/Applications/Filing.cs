using System.Net;
using Derogation.Tests.Infrastructure;

namespace Derogation.Tests.Applications;

/// <summary>Files and submits a complete individual application over HTTP, as a manufacturer would.</summary>
public static class Filing
{
    /// <param name="manufacturerId">When a consultant files: the manufacturer it holds a mandate from.</param>
    /// <param name="device">Fields of the device step that replace the usual ones (trade name, references, UDI-DI…).</param>
    public static async Task<(string Reference, Guid Id)> SubmitIndividualAsync(HttpClient client, Dictionary<string, string>? patient = null, Guid? manufacturerId = null,
        Dictionary<string, string>? device = null)
    {
        var id = await IndividualReadyToSubmitAsync(client, patient, manufacturerId, device);
        return (await SubmitDraftAsync(client, id), id);
    }

    /// <summary>Submits a complete draft from its summary, as the "Déposer" button does; returns the reference it was given.</summary>
    public static async Task<string> SubmitDraftAsync(HttpClient client, Guid id)
    {
        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        Xunit.Assert.Equal(HttpStatusCode.Redirect, submitted.StatusCode);
        return submitted.Headers.Location!.OriginalString.Split('/')[2];
    }

    /// <summary>A complete individual draft, every step and document filled in: its summary can submit it.</summary>
    public static async Task<Guid> IndividualReadyToSubmitAsync(HttpClient client, Dictionary<string, string>? patient = null, Guid? manufacturerId = null,
        Dictionary<string, string>? device = null)
    {
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle",
            manufacturerId is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["ManufacturerId"] = manufacturerId.ToString()! });
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual)
        {
            if (slug == "declarations")
            {
                await WizardDocuments.CompleteAsync(client, id);
            }

            var values = new Dictionary<string, string>(slug == "patient" && patient is not null ? patient : fields) { ["action"] = "continuer" };
            if (slug == "dispositif")
            {
                foreach (var (name, value) in device ?? [])
                {
                    values[name] = value;
                }
            }

            if (manufacturerId is not null && slug == "parties")
            {
                values["Input.FiledAs"] = "Consultant";
            }

            Xunit.Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", values)).StatusCode);
        }

        return id;
    }

    /// <summary>Files and submits a complete global application (3 references by default), as a manufacturer would.</summary>
    /// <param name="annualProsthesis">Files it as the annual derogation for partial prosthesis revisions (docs/adr/0006).</param>
    /// <param name="prosthesisKind">For the annual variant: "Joint" or "Dental".</param>
    public static async Task<(string Reference, Guid Id)> SubmitGlobalAsync(HttpClient client, int references = 3, bool annualProsthesis = false, string prosthesisKind = "Joint")
    {
        var started = await client.SubmitAsync("/demandes/globale/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in GlobalWizardFill.Steps(references))
        {
            if (slug == "declarations")
            {
                await WizardDocuments.UploadGlobalAsync(client, id, earlierDerogationsDeclared: false);
            }

            var values = new Dictionary<string, string>(fields) { ["action"] = "continuer" };
            if (annualProsthesis && slug == "perimetre")
            {
                values["Input.AnnualProsthesisRevision"] = "true";
                values["Input.ProsthesisKind"] = prosthesisKind;
            }

            Xunit.Assert.Equal(HttpStatusCode.Redirect, (await client.SubmitAsync($"/demandes/{id}/{slug}", values)).StatusCode);
        }

        var submitted = await client.SubmitAsync($"/demandes/{id}/recapitulatif", new Dictionary<string, string>(), "form[action*='handler=Submit']");
        return (submitted.Headers.Location!.OriginalString.Split('/')[2], id);
    }

    /// <summary>A new individual draft with every step before the documents filled in: the documents step opens.</summary>
    public static async Task<Guid> DraftAtDocumentsStepAsync(HttpClient client)
    {
        var started = await client.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>());
        var id = Guid.Parse(started.Headers.Location!.OriginalString.Split('/')[2]);
        foreach (var (slug, fields) in WizardFill.Individual.TakeWhile(s => s.Slug != "declarations"))
        {
            await client.SubmitAsync($"/demandes/{id}/{slug}", new Dictionary<string, string>(fields) { ["action"] = "continuer" });
        }

        return id;
    }

    /// <summary>A reviewer takes a submitted application from the queue ("Prendre"), as in the browser.</summary>
    public static async Task TakeAsync(HttpClient reviewer, string reference)
    {
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
    }

    public static Dictionary<string, string> PatientWithUrgency(string urgency) =>
        new(WizardFill.Individual.Single(s => s.Slug == "patient").Fields) { ["Input.Urgency"] = urgency };
}
