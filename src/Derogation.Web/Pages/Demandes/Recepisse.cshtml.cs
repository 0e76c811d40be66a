using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>
/// A document the portal issued — the deposit receipt (/recepisse) or the decision letter (/lettre) — served as
/// it was stored when issued (never regenerated), for those who may see the application.
/// </summary>
public sealed class RecepisseModel(DerogationDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string key, string document)
    {
        var kind = document == "lettre" ? IssuedDocumentKind.DecisionLetter : IssuedDocumentKind.DepositReceipt;
        var issued = await db.Applications.AsNoTracking().VisibleTo(User.AsViewer())
            .Where(a => a.Reference == key.ToUpperInvariant())
            .Join(db.IssuedDocuments.Where(d => d.Kind == kind), a => a.Id, d => d.ApplicationId, (_, d) => d)
            .OrderByDescending(d => d.CreatedAt)
            .FirstOrDefaultAsync();
        return issued is null ? NotFound() : File(issued.Content, "application/pdf", issued.FileName);
    }
}
