using System.Text;
using MiniExcelLibs;

namespace Derogation.Web.Exports;

/// <summary>
/// Tables written for spreadsheets: CSV (UTF-8 with a BOM, RFC 4180 quoting) and XLSX (MiniExcel). Both are
/// formula-safe: a CSV cell that a spreadsheet would take for a formula is made inert, and XLSX cells are written as
/// values (text, numbers, dates), never as formulas.
/// </summary>
public static class Spreadsheets
{
    public static byte[] Csv(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows, char separator = ',')
    {
        var csv = new StringBuilder();
        csv.Append(string.Join(separator, headers.Select(h => Quote(h, separator)))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.Append(string.Join(separator, row.Select(cell => Quote(Text(cell), separator)))).Append("\r\n");
        }

        return Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv.ToString())).ToArray();
    }

    public static byte[] Xlsx(string sheetName, IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sheet = rows.Select(row =>
        {
            var line = new Dictionary<string, object?>(headers.Count);
            for (var i = 0; i < headers.Count; i++)
            {
                line[headers[i]] = row[i];
            }

            return line;
        });
        using var stream = new MemoryStream();
        stream.SaveAs(sheet, sheetName: sheetName);
        return stream.ToArray();
    }

    /// <summary>
    /// A spreadsheet takes a cell beginning with =, +, -, @, a tab or a carriage return for a formula (=HYPERLINK(…)
    /// sends whoever clicks to any address): such a cell is written with a leading apostrophe, which spreadsheets
    /// show as text. Device names and conditions come from applicants.
    /// </summary>
    public static string Inert(string field) =>
        field.Length > 0 && field[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + field : field;

    public static string Quote(string field, char separator = ',')
    {
        field = Inert(field);
        return field.IndexOfAny([separator, '"', '\r', '\n']) >= 0 ? $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : field;
    }

    private static string Text(object? cell) => cell switch
    {
        null => "",
        DateTime date when date.TimeOfDay == TimeSpan.Zero => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        DateTime date => date.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable number => number.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => cell.ToString() ?? "",
    };
}
