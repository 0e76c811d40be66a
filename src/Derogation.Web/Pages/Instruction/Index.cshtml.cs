using Derogation.Core.Applications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>The reviewers' queue (policy Ansm: second factor required). Filters live in the address, so a view can be bookmarked.</summary>
public sealed class IndexModel(ReviewQueue queue, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "onglet")]
    public QueueTab Tab { get; set; } = QueueTab.ToTake;

    [BindProperty(SupportsGet = true, Name = "type")]
    public ApplicationKind? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "base")]
    public LegalBasis? LegalBasis { get; set; }

    [BindProperty(SupportsGet = true, Name = "urgence")]
    public Urgency? Urgency { get; set; }

    [BindProperty(SupportsGet = true, Name = "recherche")]
    public string? Search { get; set; }

    // From the query string only: Razor Pages' own route value "page" (the page's path) would otherwise be tried
    // first, fail to convert to a number and throw an exception caught inside model binding, on every queue view.
    [FromQuery(Name = "page")]
    public int PageNumber { get; set; } = 1;

    public QueuePage Queue { get; private set; } = null!;

    // Read once per page: every row compares with it, and converting to Paris time each time showed in the profile.
    public DateOnly Today => _today ??= queue.Today;

    private DateOnly? _today;

    public bool CanTake => User.IsReviewer();

    [TempData]
    public string? Message { get; set; }

    public async Task OnGetAsync() =>
        Queue = await queue.ReadAsync(new QueueFilter(Tab, Kind, LegalBasis, Urgency, null, Search, PageNumber), User.UserId());

    public async Task<IActionResult> OnPostTakeAsync(string reference)
    {
        if (!CanTake)
        {
            return NotFound();
        }

        var (outcome, holder) = await queue.TakeAsync(reference, User.UserId());
        if (outcome == TakeOutcome.NotFound)
        {
            return NotFound();
        }

        Message = outcome == TakeOutcome.Taken ? l["TakenConfirmation", reference] : l["AlreadyTaken", reference, holder ?? "—"];
        return outcome == TakeOutcome.Taken ? RedirectToPage("/Instruction/Dossier", new { reference }) : RedirectToPage("/Instruction/Index");
    }

    /// <summary>
    /// The queue as filtered on the screen (every page), as CSV (semicolons, for spreadsheets set to French) or XLSX:
    /// the screen's columns in the page's language, then the dates of submission, taking and decision (Paris time).
    /// </summary>
    public async Task<IActionResult> OnGetExportAsync(string? format)
    {
        if (format is not ("csv" or "xlsx"))
        {
            return NotFound();
        }

        var rows = await queue.ExportAsync(new QueueFilter(Tab, Kind, LegalBasis, Urgency, null, Search), User.UserId());
        var today = queue.Today;
        string[] headers =
        [
            l["QueueTarget"], l["ApplicationReference"], l["ApplicationKind"], l["ApplicationDevice"], l["MandateManufacturer"], l["FieldUrgency"],
            l["MandateStatus"], l["QueueAgeDays"], l["QueueHolder"], l["QueueSubmittedOn"], l["QueueTakenOn"], l["QueueDecidedOn"],
        ];
        var cells = rows.Select(export =>
        {
            var row = export.Row;
            var status = new List<string> { l["Status" + row.Status] };
            if (row.AwaitingSignature)
            {
                status.Add(l["AwaitingSignature"]);
            }

            if (row.DeadlinePassed)
            {
                status.Add(l["DeadlinePassed"]);
            }

            if (row.ClockStoppedSince is not null)
            {
                status.Add(l["ClockStopped"]);
            }

            return (IReadOnlyList<object?>)
            [
                row.ShownTarget(today)?.ToDateTime(TimeOnly.MinValue), row.Reference, l["Kind" + row.Kind].Value, row.Device, row.Manufacturer,
                row.Urgency is { } urgency && row.Kind == ApplicationKind.Individual ? l["Urgency" + urgency].Value : null,
                string.Join(" — ", status), today.DayNumber - DateOnly.FromDateTime(row.SubmittedAt.UtcDateTime).DayNumber, row.Holder,
                Paris(row.SubmittedAt), Paris(export.TakenAt), Paris(export.DecidedAt),
            ];
        }).ToList();
        var name = $"file-instruction-{today:yyyy-MM-dd}";
        return format == "csv"
            ? File(Exports.Spreadsheets.Csv(headers, cells, ';'), "text/csv; charset=utf-8", name + ".csv")
            : File(Exports.Spreadsheets.Xlsx(l["ReviewQueueTitle"], headers, cells), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name + ".xlsx");
    }

    private static DateTime? Paris(DateTimeOffset? instant) => instant is { } at ? Derogation.Core.FrenchTime.InParis(at).DateTime : null;

    /// <summary>The address of an export of this view (every page, the same filters).</summary>
    public string ExportLink(string format) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Url.Page("/Instruction/Index", "Export")!,
            new Dictionary<string, string?>
            {
                ["format"] = format, ["onglet"] = Tab.ToString(), ["type"] = Kind?.ToString(), ["base"] = LegalBasis?.ToString(),
                ["urgence"] = Urgency?.ToString(), ["recherche"] = Search,
            }.Where(p => !string.IsNullOrEmpty(p.Value)));

    /// <summary>The address of this view with one setting changed (tabs, pages), keeping the others.</summary>
    public string Link(QueueTab? tab = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["onglet"] = (tab ?? Tab).ToString(),
            ["type"] = Kind?.ToString(),
            ["base"] = LegalBasis?.ToString(),
            ["urgence"] = Urgency?.ToString(),
            ["recherche"] = Search,
            ["page"] = (page ?? (tab is null ? PageNumber : 1)).ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(_path ??= Url.Page("/Instruction/Index")!, query.Where(p => !string.IsNullOrEmpty(p.Value)));
    }

    // The page's own address, generated once per page for its tabs and pager links.
    private string? _path;
}
