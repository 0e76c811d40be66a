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
}
