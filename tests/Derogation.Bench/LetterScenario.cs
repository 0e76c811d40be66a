using System.Diagnostics;
using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Letters;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Microsoft.Playwright;

namespace Derogation.Bench;

/// <summary>
/// The decision letter: PDFsharp's rendering of a letter with long reasons, conditions, its copies and QR code (three
/// pages), one at a time on one thread, beside Chromium's print-to-PDF of the same letter written as HTML (browser and
/// page kept open between letters: the most favourable case for Chromium), in the same run. Both warmed up first:
/// PDFsharp until its CPU per letter stops falling, as every other row; Chromium for 3 letters.
/// </summary>
public static class LetterScenario
{
    public static async Task<Row> RunAsync(int letters)
    {
        var letter = DecisionLetterBuilder.Build(TwoPageGrant());
        // One letter at a time on one thread, warmed up like every other row until its CPU per letter stops falling
        // (a fixed 20 letters measured code the tiered compiler had not finished with: 4.3 ms a letter instead of 3.3).
        var pdfsharp = await Load.RunAsync("decision letter (PDFsharp)", 1, letters, (_, _) =>
        {
            DecisionLetterPdf.Render(letter);
            return Task.CompletedTask;
        }, warmUp: 200);
        var pages = CountPages(DecisionLetterPdf.Render(letter));

        var html = Html(letter);
        var executable = Environment.GetEnvironmentVariable("CHROMIUM_PATH") ?? "/usr/bin/chromium";
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable, Headless = true, Args = ["--no-sandbox", "--disable-gpu", "--no-first-run"],
        });
        var page = await browser.NewPageAsync();
        var chromiumPdf = Array.Empty<byte>();
        var chromium = await SequentialAsync(Math.Max(10, letters / 10), async () =>
        {
            await page.SetContentAsync(html);
            chromiumPdf = await page.PdfAsync(new PagePdfOptions { Format = "A4", PrintBackground = true, DisplayHeaderFooter = true,
                FooterTemplate = "<div style='font-size:8px;width:100%;text-align:right;padding-right:2cm'>page <span class='pageNumber'></span> / <span class='totalPages'></span></div>",
                HeaderTemplate = "<div></div>", Margin = new() { Top = "2cm", Bottom = "2cm", Left = "2cm", Right = "2cm" } });
        });

        var ratio = chromium.P50 / pdfsharp.P50;
        Console.WriteLine($"Letter: {pages} pages with PDFsharp, {CountPages(chromiumPdf)} with Chromium; median {pdfsharp.P50:0.00} ms vs {chromium.P50:0.0} ms.");
        return new Row($"decision letter, {pages} pages", "median ms · letters/s on one thread",
            $"{Row.Format(pdfsharp.P50)} · {Row.Format(pdfsharp.Throughput)}",
            $"Chromium print-to-PDF: {Row.Format(chromium.P50)} · {Row.Format(chromium.Throughput)} ({ratio:0}× slower)",
            "median ≤ 20 ms; ≥ 20× faster than Chromium",
            pdfsharp.P50 <= 20 && ratio >= 20);
    }

    private static async Task<Measurement> SequentialAsync(int count, Func<Task> render)
    {
        for (var i = 0; i < 3; i++)
        {
            await render();
        }

        var times = new double[count];
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await render();
            times[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(times);
        return new Measurement("Chromium", count, total.Elapsed, times);
    }

    private static int CountPages(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(System.Text.Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;

    /// <summary>An individual application's answers as a real filing has them (device, patient initials, prescriber, establishment).</summary>
    internal static ApplicationAnswers CaseAnswers(LegalBasis basis, string tradeName, string model, string references)
    {
        var answers = new ApplicationAnswers();
        answers.Parties.LegalBasis = basis;
        answers.Device.TradeName = tradeName;
        answers.Device.Model = model;
        answers.Device.References = references;
        answers.Patient.LastNameInitial = "D";
        answers.Patient.FirstNameInitial = "É";
        answers.Patient.YearOfBirth = 1962;
        answers.HealthProfessionals.PrescriberName = "Dr Claire Fontaine";
        answers.HealthProfessionals.PrescriberEmail = "c.fontaine@chu.example";
        answers.HealthProfessionals.EstablishmentName = "CHU de Nulle-Part";
        answers.HealthProfessionals.DirectorName = "Paul Directeur";
        answers.HealthProfessionals.DirectorEmail = "direction@chu.example";
        return answers;
    }

    /// <summary>An individual grant with conditions, as in the end-to-end journey, with reasons long enough for two pages.</summary>
    private static LetterSource TwoPageGrant()
    {
        var manufacturer = new Organisation { Id = Guid.NewGuid(), LegalName = "Demo MedTech GmbH", Address = "Musterstraße 1, 10115 Berlin", Country = "Allemagne" };
        var consultancy = new Organisation { Id = Guid.NewGuid(), LegalName = "Conseil Réglementaire Démo SAS", Address = "1 rue de la Paix, 75002 Paris", Country = "France" };
        var answers = CaseAnswers(LegalBasis.InVitroDiagnostic, "GenoScreen NGS Panel", "GS-500 révision C", "GS-500-24 : coffret 24 tests");
        var application = new Application
        {
            Kind = ApplicationKind.Individual, Reference = "DIV-2026-00042", LegalBasis = LegalBasis.InVitroDiagnostic,
            FilingOrganisationId = consultancy.Id, ManufacturerId = manufacturer.Id, SubmittedAt = DateTimeOffset.UtcNow.AddDays(-10),
        };
        var decision = new Decision
        {
            Outcome = DecisionOutcome.Grant,
            Reasons = string.Join("\n", Enumerable.Range(1, 6).Select(i =>
                $"Considérant, en {i}e lieu, que les données analytiques et cliniques fournies établissent, pour ce patient, un bénéfice diagnostique qu'aucun dispositif marqué CE ne permet d'obtenir ;")),
            Conditions = new DecisionConditions { ValidUntil = DateOnly.FromDateTime(DateTime.Today.AddMonths(6)), MaxPatients = 1, FollowUp = "Déclarer tout incident à l'ANSM sans délai.", Restrictions = "Usage au sein du seul établissement désigné." },
            SignatoryName = "Samuel Girard",
            SignatoryTitle = "Directeur des dispositifs médicaux et des dispositifs de diagnostic in vitro",
            Version = 2,
            DecidedAt = DateTimeOffset.UtcNow,
        };
        return new LetterSource(LetterFacts.Case(application, answers, manufacturer, consultancy), LetterFacts.Decision(decision), "ABCD-EFGH-JKLM-NPQR",
            "https://derogations.ansm.sante.fr/verification/ABCD-EFGH-JKLM-NPQR", Draft: false);
    }

    /// <summary>The same content as HTML, styled like the PDF (A4, 2 cm margins, Liberation Sans 10 pt).</summary>
    private static string Html(DecisionLetter letter)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var body = new System.Text.StringBuilder();
        body.Append($"<p><b>RÉPUBLIQUE FRANÇAISE</b></p><p><b>{E(DecisionLetterBuilder.AnsmName)}</b><br>{E(DecisionLetterBuilder.Directorate)}<br><small>{E(DecisionLetterBuilder.AnsmAddress)}</small></p>");
        body.Append($"<div class='right'><p>Saint-Denis, le {letter.Date:d MMMM yyyy}<br>Réf. : {E(letter.Reference)}</p><p>{string.Join("<br>", letter.Addressee.Select(E))}</p></div>");
        body.Append($"<p><b>{E(letter.Subject)}</b></p><h1>{E(letter.Title)}</h1>");
        body.Append("<p>Le directeur général de l'Agence nationale de sécurité du médicament et des produits de santé,</p>");
        body.Append(string.Concat(letter.Vu.Concat(letter.Considering).Select(p => $"<p>{E(p)}</p>")));
        body.Append("<p><b>Décide :</b></p>");
        for (var i = 0; i < letter.Articles.Count; i++)
        {
            body.Append($"<h2>{(i == 0 ? "Article 1er" : $"Article {i + 1}")}</h2>{string.Concat(letter.Articles[i].Paragraphs.Select(p => $"<p>{E(p)}</p>"))}");
        }

        body.Append($"<div class='right'><p>Pour le directeur général et par délégation,<br><b>{E(letter.SignatoryName)}</b><br>{E(letter.SignatoryTitle)}</p></div>");
        body.Append($"<p><b>Copie à :</b></p>{string.Concat(letter.CopyTo.Select(c => $"<p>— {E(c)}</p>"))}");
        body.Append($"<hr><p><b>Code de vérification : {E(letter.VerificationCode ?? "")}</b><br><small>{E(letter.VerificationUrl ?? "")}</small></p>");
        // The same QR code as the PDF's, as vector squares: Chromium draws what PDFsharp draws.
        var modules = VerificationQr.Modules(letter.VerificationUrl ?? "");
        var count = modules.GetLength(0);
        body.Append($"<svg xmlns='http://www.w3.org/2000/svg' width='72pt' height='72pt' viewBox='0 0 {count} {count}'>");
        for (var row = 0; row < count; row++)
        {
            for (var column = 0; column < count; column++)
            {
                if (modules[row, column])
                {
                    body.Append($"<rect x='{column}' y='{row}' width='1.02' height='1.02'/>");
                }
            }
        }

        body.Append("</svg>");
        return "<!doctype html><html lang='fr'><head><meta charset='utf-8'><style>body{font-family:'Liberation Sans',sans-serif;font-size:10pt;line-height:1.35}" +
               "h1{font-size:13pt}h2{font-size:10pt;margin:6pt 0 2pt}p{margin:0 0 4pt}.right{margin-left:9cm}</style></head><body>" + body + "</body></html>";
    }
}
