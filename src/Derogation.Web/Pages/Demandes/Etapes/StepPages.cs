using Derogation.Core.Applications;
using Microsoft.AspNetCore.Mvc;

namespace Derogation.Web.Pages.Demandes.Etapes;

/// <summary>
/// Which page draws each wizard step (Core names the steps, the pages give them their addresses), and links to them
/// generated from those pages' routes.
/// </summary>
public static class StepPages
{
    public const string Summary = "/Demandes/Recapitulatif";

    private static readonly Dictionary<string, string> Pages = new()
    {
        [StepNames.Parties] = "/Demandes/Etapes/Parties",
        [StepNames.Device] = "/Demandes/Etapes/Dispositif",
        [StepNames.NonCompliance] = "/Demandes/Etapes/MarquageCe",
        [StepNames.Patient] = "/Demandes/Etapes/Patient",
        [StepNames.HealthProfessionals] = "/Demandes/Etapes/Professionnels",
        [StepNames.GlobalScope] = "/Demandes/Etapes/Perimetre",
        [StepNames.EarlierDerogations] = "/Demandes/Etapes/DerogationsAnterieures",
        [StepNames.Safety] = "/Demandes/Etapes/Securite",
        [StepNames.Documents] = "/Demandes/Etapes/Documents",
        [StepNames.Declarations] = "/Demandes/Etapes/Declarations",
    };

    public static string Of(WizardStep step) => Pages[step.Name];

    /// <summary>The page after a step: the next step's, or the summary after the last.</summary>
    public static string OfNext(WizardStep? next) => next is null ? Summary : Of(next);

    /// <summary>The address of <paramref name="step"/> of the draft <paramref name="id"/> (the summary when null), with an optional fragment.</summary>
    public static string Step(this IUrlHelper url, WizardStep? step, Guid id, string? fragment = null) =>
        url.Page(step is null ? Summary : Of(step), pageHandler: null, values: new { id }, protocol: null, host: null, fragment: fragment)!;
}
