using System.IO.Compression;
using System.Net;
using System.Text;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using MiniExcelLibs;

namespace Derogation.Tests.Review;

/// <summary>The reviewers' queue as it is filtered, exported as XLSX and CSV: the same rows as the screen, plus the dates.</summary>
public sealed class QueueExportTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task TheXlsxExport_OpensAndMatchesTheFilteredQueue_AndTheCsvIsFormulaSafe()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (vital, _) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("VitalEmergency"),
            device: new() { ["Input.TradeName"] = "=HYPERLINK(\"https://example.com\";\"Voir\")" });
        var (planned, _) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("Planned"));
        var (global, _) = await Filing.SubmitGlobalAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, planned);

        // The "All" tab, individual applications only: two rows on the screen, the same two in the export, in the same order.
        var screen = await Html.ParseAsync(await reviewer.GetAsync("/instruction?onglet=All&type=Individual"));
        var shown = screen.QuerySelectorAll("table tbody tr td:nth-child(2) a").Select(a => a.TextContent.Trim()).ToList();
        Assert.Equal(2, shown.Count);
        var xlsxLink = screen.QuerySelector("#exports a[href*='format=xlsx']")!.GetAttribute("href")!;
        Assert.Contains("type=Individual", xlsxLink, StringComparison.Ordinal);
        var xlsx = await reviewer.GetAsync(xlsxLink);
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", xlsx.Content.Headers.ContentType!.MediaType);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        var rows = new MemoryStream(bytes).Query(useHeaderRow: true).Cast<IDictionary<string, object>>().ToList();
        Assert.Equal(shown, rows.Select(r => (string)r["Référence"]));
        Assert.DoesNotContain(rows, r => (string)r["Référence"] == global);
        var plannedRow = rows.Single(r => (string)r["Référence"] == planned);
        Assert.Equal("En cours d'instruction", plannedRow["Statut"]);
        Assert.NotNull(plannedRow["Prise le"]);
        Assert.Null(plannedRow["Décidée le"]);
        Assert.IsType<DateTime>(plannedRow["Déposée le"]);
        var vitalRow = rows.Single(r => (string)r["Référence"] == vital);
        Assert.Equal("Urgence vitale", vitalRow["Degré d'urgence"]);
        Assert.Null(vitalRow["Prise le"]);
        // The applicant's text is a value in the sheet, never a formula.
        Assert.Equal("=HYPERLINK(\"https://example.com\";\"Voir\")", vitalRow["Dispositif"]);
        using (var zip = new ZipArchive(new MemoryStream(bytes)))
        {
            foreach (var entry in zip.Entries.Where(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal)))
            {
                using var reader = new StreamReader(entry.Open());
                Assert.DoesNotContain("<f>", await reader.ReadToEndAsync(), StringComparison.Ordinal);
            }
        }

        // The "Mine" tab as CSV: the reviewer's one application.
        var csvResponse = await reviewer.GetAsync("/instruction?handler=Export&format=csv&onglet=Mine");
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType!.MediaType);
        var csv = Encoding.UTF8.GetString(await csvResponse.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("Échéance;Référence;Type;Dispositif;Fabricant;Degré d'urgence;Statut;Âge (jours);Instructeur;Déposée le;Prise le;Décidée le", lines[0]);
        Assert.Single(lines[1..]);
        Assert.Contains($";{planned};", lines[1], StringComparison.Ordinal);

        // In English, the headers and the words are English.
        await reviewer.GetAsync("/langue/en?retour=/instruction");
        var englishLines = Encoding.UTF8.GetString(await reviewer.GetByteArrayAsync("/instruction?handler=Export&format=csv&onglet=Mine")).TrimStart('\uFEFF').Split("\r\n");
        Assert.Equal("Target date;Reference;Kind;Device;Manufacturer;Degree of urgency;Status;Age (days);Reviewer;Filed on;Taken on;Decided on", englishLines[0]);
        Assert.Contains(";Under review;", englishLines[1], StringComparison.Ordinal);

        // In the CSV, the formula is made inert.
        var all = Encoding.UTF8.GetString(await reviewer.GetByteArrayAsync("/instruction?handler=Export&format=csv&onglet=All"));
        Assert.Contains(";\"'=HYPERLINK(\"\"https://example.com\"\";\"\"Voir\"\")\";", all, StringComparison.Ordinal);

        // An applicant has no export; an unknown format is not found.
        Assert.NotEqual(HttpStatusCode.OK, (await manufacturer.GetAsync("/instruction?handler=Export&format=xlsx&onglet=All")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync("/instruction?handler=Export&format=pdf")).StatusCode);
    }
}
