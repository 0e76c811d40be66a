using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Pages.Demandes;

/// <summary>The deposit receipt as it was issued at submission (never regenerated), for those who may see the application.</summary>
public sealed class RecepisseModel(DerogationDbContext db) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string key)
    {
        var receipt = await db.Applications.AsNoTracking().VisibleTo(User.AsViewer())
            .Where(a => a.Reference == key.ToUpperInvariant())
            .Join(db.IssuedDocuments.Where(d => d.Kind == IssuedDocumentKind.DepositReceipt), a => a.Id, d => d.ApplicationId, (_, d) => d)
            .SingleOrDefaultAsync();
        return receipt is null ? NotFound() : File(receipt.Content, "application/pdf", receipt.FileName);
    }
}
