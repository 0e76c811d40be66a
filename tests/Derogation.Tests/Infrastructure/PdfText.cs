using System.Diagnostics;

namespace Derogation.Tests.Infrastructure;

/// <summary>A PDF's text as poppler's pdftotext reads it: what a person could select and copy.</summary>
public static class PdfText
{
    public static async Task<string> ReadAsync(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"derogation-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(path, pdf);
        try
        {
            var start = new ProcessStartInfo("pdftotext") { RedirectStandardOutput = true, RedirectStandardError = true };
            // -layout keeps each line as drawn (a label beside its value), as a reader sees it.
            foreach (var argument in new[] { "-layout", "-enc", "UTF-8", path, "-" })
            {
                start.ArgumentList.Add(argument);
            }

            using var process = Process.Start(start) ?? throw new InvalidOperationException("pdftotext not found: apt-get install poppler-utils");
            var text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return process.ExitCode == 0 ? text : throw new InvalidOperationException(await process.StandardError.ReadToEndAsync());
        }
        finally
        {
            File.Delete(path);
        }
    }

    public static async Task<int> PageCountAsync(byte[] pdf) =>
        (await ReadAsync(pdf)).Split('\f', StringSplitOptions.RemoveEmptyEntries).Count(page => page.Trim().Length > 0);
}
