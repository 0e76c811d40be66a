using System.Text.Json;
using Derogation.Core.Applications;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// Before a wizard: three questions that tell whether a derogation is the route at all. Each answer that points
/// elsewhere is explained with the notice to applicants; when a derogation is the route, the wizard's start page opens
/// and the draft keeps the answers (the reviewer reads them). Nothing is saved here.
/// </summary>
public sealed class EligibiliteModel(IStringLocalizer<SharedResource> l) : PageModel
{
    /// <summary>Carries the answers to the start page, which keeps them with the draft it creates.</summary>
    public const string TempDataKey = "Eligibility";

    [BindProperty]
    public EligibilityAnswers Input { get; set; } = new();

    public string Kind => RouteData.Values["kind"] as string == "globale" ? "globale" : "individuelle";

    /// <summary>After a POST whose answers point elsewhere: why, and where to go.</summary>
    public EligibilityOutcome? Outcome { get; private set; }

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        var outcome = Eligibility.Assess(Input);
        if (outcome == EligibilityOutcome.Incomplete)
        {
            // The summary lists the questions in the page's order.
            ViewData[Forms.ValidationExtensions.ErrorOrderKey] = new List<string> { "Input.CeMarkedForThisUse", "Input.CustomMade", "Input.StudyAvailable" };
            foreach (var (field, value) in new (string, bool?)[] { (nameof(Input.CeMarkedForThisUse), Input.CeMarkedForThisUse), (nameof(Input.CustomMade), Input.CustomMade), (nameof(Input.StudyAvailable), Input.StudyAvailable) })
            {
                if (value is null)
                {
                    ModelState.AddModelError($"Input.{field}", l["EligibilityRequired", l["EligibilityQuestion" + field]]);
                }
            }

            return Page();
        }

        if (outcome != EligibilityOutcome.Derogation)
        {
            Outcome = outcome;
            return Page();
        }

        TempData[TempDataKey] = JsonSerializer.Serialize(Input);
        return RedirectToPage("/Demandes/Nouvelle", new { kind = Kind });
    }

    /// <summary>The answers carried from this page, if the start page was reached through it.</summary>
    public static EligibilityAnswers? Carried(Microsoft.AspNetCore.Mvc.ViewFeatures.ITempDataDictionary tempData, bool keep) =>
        (keep ? tempData.Peek(TempDataKey) : tempData[TempDataKey]) is string json ? JsonSerializer.Deserialize<EligibilityAnswers>(json) : null;
}
