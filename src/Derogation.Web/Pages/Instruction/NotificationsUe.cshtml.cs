using System.IO.Compression;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>
/// The notifications owed to the Commission and the member states (<see cref="EuNotifications"/>): each granted global
/// derogation and each measure on one, its package to download, and whether it was marked as sent.
/// </summary>
public sealed class NotificationsUeModel(EuNotifications notifications, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<EuNotificationItem> Items { get; private set; } = [];

    /// <summary>"a-envoyer" shows only what is still to be sent.</summary>
    [BindProperty(SupportsGet = true, Name = "filtre")]
    public string? Filter { get; set; }

    public bool ToSendOnly => Filter == "a-envoyer";

    [TempData]
    public string? Confirmation { get; set; }

    public async Task OnGetAsync()
    {
        var all = await notifications.ListAsync();
        Items = ToSendOnly ? all.Where(i => i.SentAt is null).ToList() : all;
    }

    public async Task<IActionResult> OnPostSentAsync(Guid id, string? retour)
    {
        if (!await notifications.MarkSentAsync(id, User.UserId()))
        {
            return NotFound();
        }

        // Back to the case file when marked from there (a local address only), which shows its own message.
        if (retour is not null && Url.IsLocalUrl(retour))
        {
            TempData["Message"] = l["EuNotificationMarked"].Value;
            return LocalRedirect(retour);
        }

        Confirmation = l["EuNotificationMarked"].Value;
        return RedirectToPage(new { filtre = Filter });
    }

    /// <summary>The package: a ZIP with the JSON document and the PDF summary, or either alone.</summary>
    public async Task<IActionResult> OnGetPackageAsync(Guid id, string? format)
    {
        var package = await notifications.PackageAsync(id);
        if (package is null)
        {
            return NotFound();
        }

        return format switch
        {
            "json" => File(package.Json, "application/json", package.FileStem + ".json"),
            "pdf" => File(package.Pdf, "application/pdf", package.FileStem + ".pdf"),
            _ => File(Zip(package), "application/zip", package.FileStem + ".zip"),
        };
    }

    private static byte[] Zip(EuNotificationPackage package)
    {
        using var buffer = new MemoryStream();
        using (var archive = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in new[] { (package.FileStem + ".json", package.Json), (package.FileStem + ".pdf", package.Pdf) })
            {
                using var entry = archive.CreateEntry(name, CompressionLevel.Optimal).Open();
                entry.Write(content);
            }
        }

        return buffer.ToArray();
    }
}
