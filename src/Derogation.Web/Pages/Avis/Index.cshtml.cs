using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Pages.Avis;

/// <summary>"Avis demandés": what was asked of the signed-in ANSM user, to give first, by deadline.</summary>
public sealed class IndexModel(ExpertOpinions opinions) : PageModel
{
    public IReadOnlyList<(ExpertOpinion Opinion, string Reference, string? Device, string? Manufacturer)> Asked { get; private set; } = [];

    public async Task OnGetAsync() => Asked = await opinions.AskedOfAsync(User.UserId());
}
