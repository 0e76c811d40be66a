using Derogation.Core.Review;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages;

/// <summary>The public register of global derogations (no sign-in), searchable; the same data as CSV and JSON.</summary>
public sealed class DerogationsGlobalesModel(PublicRegister register) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "recherche")]
    public string? Search { get; set; }

    public IReadOnlyList<RegisterEntry> Entries { get; private set; } = [];

    public async Task OnGetAsync() => Entries = await register.ListAsync(Search);

    /// <summary>
    /// The conditions in one line, worded in the page's language around ANSM's own texts (which stay as written); in
    /// French the same line as the CSV and JSON publish.
    /// </summary>
    public static string Conditions(RegisterConditions terms, Microsoft.Extensions.Localization.IStringLocalizer l)
    {
        var french = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "fr";
        var parts = new[]
        {
            terms.MaxPatients is { } patients
                ? l["RegisterMaxPatients", french ? patients.ToString("N0", System.Globalization.CultureInfo.GetCultureInfo("fr-FR")).Replace('\u202F', '\u00A0') : patients.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)].Value
                : null,
            terms.Establishments is null ? null : l["RegisterEstablishments", terms.Establishments].Value,
            terms.Restrictions,
            terms.FollowUp is null ? null : l["RegisterFollowUp", terms.FollowUp].Value,
        };
        return string.Join(french ? " ; " : "; ", parts.Where(p => p is not null));
    }
}
