using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Derogation.Core.Review;

namespace Derogation.Web.Register;

/// <summary>
/// The register as open data (docs/register.md documents the fields): /derogations-globales.csv (UTF-8 with a BOM,
/// comma-separated, RFC 4180 quoting; references joined by " | ") and /derogations-globales.json. No sign-in.
/// </summary>
public static class RegisterExports
{
    public static readonly string[] CsvColumns =
        ["reference", "device", "manufacturer", "manufacturer_country", "references", "granted_on", "valid_from", "valid_until", "conditions", "status",
         // Added later, at the end: a consumer reading the columns by position keeps working (docs/register.md).
         "legal_basis", "indication", "annual_prosthesis"];

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        WriteIndented = true,
    };

    public static void MapRegisterExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/derogations-globales.csv", async (PublicRegister register, string? recherche) =>
            Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(await register.ListAsync(recherche)))).ToArray(),
                "text/csv; charset=utf-8", "derogations-globales.csv"));
        app.MapGet("/derogations-globales.json", async (PublicRegister register, string? recherche) =>
            Results.Json(new { generatedAt = DateTimeOffset.UtcNow, derogations = await register.ListAsync(recherche) }, Json));
    }

    public static string Csv(IEnumerable<RegisterEntry> entries)
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(',', CsvColumns)).Append("\r\n");
        foreach (var e in entries)
        {
            string[] fields =
            [
                e.Reference, e.Device, e.Manufacturer, e.ManufacturerCountry, string.Join(" | ", e.References.Select(r => $"{r.Code} : {r.Description}")),
                Day(e.GrantedOn), Day(e.ValidFrom), e.ValidUntil is { } until ? Day(until) : "", e.Conditions, Snake(e.Status.ToString()),
                e.LegalBasis is { } basis ? Snake(basis.ToString()) : "", e.Indication, e.AnnualProsthesis is { } kind ? Snake(kind.ToString()) : "",
            ];
            csv.Append(string.Join(',', fields.Select(Quote))).Append("\r\n");
        }

        return csv.ToString();
    }

    private static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Quote(string field) => Exports.Spreadsheets.Quote(field);
}
