using System.Diagnostics;
using Derogation.Core.Documents;
using Derogation.Tests.Infrastructure;

namespace Derogation.Bench;

/// <summary>
/// What the upload checks cost on their own, in this process, on the same 100 MB well-formed PDF as the upload row
/// (read from a file, as the web server buffers an upload): the antivirus (a local clamd over INSTREAM) and the PDF
/// checks (raw pass + strict parse), each beside the floor of reading the file once; and the text extraction the
/// anonymisation rules use, per page, on a 40-page text PDF. Reported, not judged: they have no target of their own
/// (the upload row, which includes them, has).
/// </summary>
public static class ChecksScenario
{
    public static async Task<IReadOnlyList<Row>> RunAsync(int megabytes)
    {
        var file = Path.Combine(Path.GetTempPath(), $"derogation-bench-checks-{Guid.NewGuid():N}.pdf");
        try
        {
            await using (var stream = File.Create(file))
            {
                await new GeneratedPdf(megabytes * 1024L * 1024L).CopyToAsync(stream);
            }

            using var clamd = await LocalClamd.StartAsync(Path.Combine(Path.GetTempPath(), $"derogation-bench-clamd-{Guid.NewGuid():N}"), throwAway: true);
            var scanner = new ClamdScanner(clamd.Options);
            await using var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            // Warm-up (JIT, the daemon's first stream, the page cache), then the best of three of each.
            await scanner.ScanAsync(content);
            PdfInspection.Inspect(content, extractText: false);
            var read = Best(() => { content.Position = 0; content.CopyTo(Stream.Null); });
            var scan = Best(() => { var verdict = scanner.ScanAsync(content).GetAwaiter().GetResult(); if (verdict.Verdict != ScanVerdict.Clean) throw new InvalidOperationException(verdict.ToString()); });
            var pdf = Best(() => { var report = PdfInspection.Inspect(content, extractText: true); if (report.Problem != PdfProblem.None) throw new InvalidOperationException(report.Problem.ToString()); });

            using var text = new MemoryStream(TextPdf(40));
            PdfInspection.Inspect(text, extractText: true);
            var extraction = Best(() => PdfInspection.Inspect(text, extractText: true));
            return
            [
                new Row($"antivirus scan (clamd INSTREAM) of a {megabytes} MB PDF", "ms · ms per MB", $"{scan:0} · {scan / megabytes:0.0}",
                    $"reading the file once: {read:0} ms", "reported", true),
                new Row($"PDF checks (raw pass, strict parse) of a {megabytes} MB PDF", "ms · ms per MB", $"{pdf:0} · {pdf / megabytes:0.0}",
                    $"reading the file once: {read:0} ms", "reported", true),
                new Row("PDF checks and text extraction, 40-page text PDF", "ms · ms per page", $"{extraction:0.0} · {extraction / 40:0.00}", "—", "reported", true),
            ];
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>A text PDF of <paramref name="pages"/> pages, as the portal's own renderer draws one.</summary>
    private static byte[] TextPdf(int pages)
    {
        using var pdf = new Derogation.Core.Letters.FlowDocument("Justification");
        for (var i = 1; i <= pages; i++)
        {
            if (i > 1)
            {
                pdf.KeepTogether(10_000);
            }

            for (var line = 0; line < 30; line++)
            {
                pdf.Paragraph($"Page {i} : justification médicale du prescripteur pour le patient É. D., né en 1962, suivi depuis 2024.");
            }
        }

        return pdf.Finish("Justification médicale");
    }

    private static double Best(Action work)
    {
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            work();
            best = Math.Min(best, stopwatch.Elapsed.TotalMilliseconds);
        }

        return best;
    }
}
