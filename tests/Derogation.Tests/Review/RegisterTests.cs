using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class RegisterTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Reviewer, TestUser Signatory, TestUser Manufacturer)> GrantedGlobalAsync(string validUntil = "2027-12-31")
    {
        var manufacturerUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(await portal.CreateClientForAsync(manufacturerUser));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        var decided = await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative marquée CE.", ["Conditions.ValidUntil"] = validUntil,
            ["Conditions.MaxPatients"] = "40", ["Conditions.Restrictions"] = "Centres de référence uniquement", ["SignatoryId"] = signatory.Id.ToString(),
            ["OtherRecipients"] = "Agence régionale de santé d'Île-de-France ; ars-idf@example.fr",
        });
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        await portal.SignAsync(reference, signatory);
        return (reference, id, reviewer, signatory, manufacturerUser);
    }

    private static async Task<Dictionary<string, string>> PageStatusesAsync(HttpClient anonymous, string? search = null)
    {
        var page = await Html.ParseAsync(await anonymous.GetAsync("/derogations-globales" + (search is null ? "" : $"?recherche={search}")));
        return page.QuerySelectorAll("#registre tbody tr").ToDictionary(r => r.QuerySelector("td")!.TextContent.Trim(), r => r.QuerySelector(".fr-badge")!.TextContent.Trim());
    }

    /// <summary>The reviewer proposes the measure; the signatory signs it.</summary>
    private async Task<HttpResponseMessage> MeasureAsync(HttpClient reviewer, string reference, string kind, TestUser signatory, string reasons)
    {
        var proposed = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type={kind}", new Dictionary<string, string> { ["Reasons"] = reasons, ["SignatoryId"] = signatory.Id.ToString() });
        Assert.Equal(HttpStatusCode.Redirect, proposed.StatusCode);
        return await portal.SignAsync(reference, signatory);
    }

    [Fact]
    public async Task Register_ListsGrantedGlobalDerogations_WithTheirStatus_AfterSuspendReinstateAndWithdraw_AndNeverAnIndividualOne()
    {
        var (reference, _, reviewer, signatory, _) = await GrantedGlobalAsync();
        var (individual, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var anonymous = portal.CreateAnonymousClient();

        Assert.Equal("En vigueur", (await PageStatusesAsync(anonymous))[reference]);
        Assert.DoesNotContain((await PageStatusesAsync(anonymous)).Keys, k => k.StartsWith("DIV-", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.Redirect, (await MeasureAsync(reviewer, reference, "Suspension", signatory, "Considérant un incident grave signalé le 2 novembre.")).StatusCode);
        Assert.Equal("Suspendue", (await PageStatusesAsync(anonymous))[reference]);
        await MeasureAsync(reviewer, reference, "Reinstatement", signatory, "Considérant les mesures correctives du fabricant.");
        Assert.Equal("En vigueur", (await PageStatusesAsync(anonymous))[reference]);
        await MeasureAsync(reviewer, reference, "Withdrawal", signatory, "Considérant le marquage CE désormais obtenu par un dispositif équivalent.");
        Assert.Equal("Retirée", (await PageStatusesAsync(anonymous))[reference]);
        // A withdrawn derogation cannot be suspended any more: the page is not offered.
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/instruction/{reference}/mesure?type=Suspension")).StatusCode);
        Assert.Empty(await PageStatusesAsync(anonymous, individual));

        // The CSV and the JSON say what the page says.
        var page = await Html.ParseAsync(await anonymous.GetAsync($"/derogations-globales?recherche={reference}"));
        var row = page.QuerySelectorAll("#registre tbody tr td").Select(td => td.TextContent.Trim()).ToList();
        var csv = (await anonymous.GetStringAsync($"/derogations-globales.csv?recherche={reference}")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("reference,device,manufacturer,manufacturer_country,references,granted_on,valid_from,valid_until,conditions,status,legal_basis,indication,annual_prosthesis", csv[0]);
        var fields = Regex.Matches(csv[1], "(?<=^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)").Select(m => m.Value.Trim('"').Replace("\"\"", "\"")).ToList();
        Assert.Equal(reference, fields[0]);
        // Page columns: reference, legal basis, device (with its indication), manufacturer, validity, conditions, status.
        Assert.StartsWith(fields[1], row[2], StringComparison.Ordinal);
        Assert.Equal(row[3], $"{fields[2]} ({fields[3]})");
        Assert.Equal("2027-12-31", fields[7]);
        Assert.Equal(row[5], fields[8]);
        Assert.Equal("withdrawn", fields[9]);
        Assert.Equal(3, fields[4].Split(" | ").Length);
        Assert.Equal("medical_device", fields[10]);
        Assert.Contains(fields[11], row[2], StringComparison.Ordinal);
        Assert.Equal("", fields[12]);

        using var json = JsonDocument.Parse(await anonymous.GetStringAsync($"/derogations-globales.json?recherche={reference}"));
        var entry = json.RootElement.GetProperty("derogations").EnumerateArray().Single();
        Assert.Equal(reference, entry.GetProperty("reference").GetString());
        Assert.Equal(fields[1], entry.GetProperty("device").GetString());
        Assert.Equal(fields[11], entry.GetProperty("indication").GetString());
        Assert.Equal("withdrawn", entry.GetProperty("status").GetString());
        Assert.Equal("2027-12-31", entry.GetProperty("validUntil").GetString());
        Assert.Equal(3, entry.GetProperty("references").GetArrayLength());
        Assert.Equal(row[5], entry.GetProperty("conditions").GetString());
    }

    [Fact]
    public async Task Withdrawal_HasItsOwnReasonedLetter_WithTheCopies_AndTheVerificationPageShowsWithdrawn()
    {
        var (reference, id, reviewer, signatory, manufacturer) = await GrantedGlobalAsync();
        var withdrawn = await reviewer.SubmitAsync($"/instruction/{reference}/mesure?type=Withdrawal", new Dictionary<string, string>
        {
            ["Reasons"] = "Considérant que le fabricant n'a pas transmis le bilan d'utilisation demandé ;\nque la sécurité des patients ne peut plus être appréciée.",
            ["SignatoryId"] = signatory.Id.ToString(),
        });
        Assert.Equal($"/instruction/{reference}", withdrawn.Headers.Location!.OriginalString);
        await portal.SignAsync(reference, signatory);

        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        var measure = await db.GrantMeasures.AsNoTracking().SingleAsync(m => m.ApplicationId == id);
        var letter = await db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == measure.LetterDocumentId);
        var text = Regex.Replace(await PdfText.ReadAsync(letter.Content), @"\s+", " ");
        Assert.Contains("Décision portant retrait d'une dérogation", text);
        Assert.Contains("Considérant que le fabricant n'a pas transmis le bilan d'utilisation demandé ;", text);
        Assert.Contains("Considérant que la sécurité des patients ne peut plus être appréciée ;", text);
        Assert.Contains($"La dérogation globale à l'obligation de marquage CE n° {reference}", text);
        Assert.Contains("est retirée à compter de la notification de la présente décision.", text);
        Assert.Contains("Vu la décision du", text);
        Assert.Contains("Copie à : — Agence régionale de santé d'Île-de-France", text);
        Assert.Contains($"Code de vérification : {measure.VerificationCode}", text);
        Assert.Equal([Derogation.Core.Audit.AuditActions.Signed, Derogation.Core.Audit.AuditActions.WithdrawnByAnsm],
            await db.AuditEvents.Where(e => e.SubjectId == id.ToString()).OrderByDescending(e => e.Id).Select(e => e.Action).Take(2).ToListAsync());

        var verification = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/verification/{measure.VerificationCode}"));
        var shown = verification.Texts("#verification dd");
        Assert.Equal([reference, "Dérogation globale", "Retrait de la dérogation", "Retirée par l'ANSM"], shown.Take(4));
        // The original grant letter's code now shows the derogation withdrawn too.
        var grantCode = await db.Decisions.Where(d => d.ApplicationId == id).Select(d => d.VerificationCode).SingleAsync();
        Assert.Equal("Retirée par l'ANSM", (await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync($"/verification/{grantCode}"))).Texts("#verification dd")[3]);

        // The one in copy receives the withdrawal letter itself.
        var copy = await portal.WaitForMailAsync(m => m.To.Contains("ars-idf@example.fr", StringComparison.OrdinalIgnoreCase) && m.Attachments.Any(a => a.FileName == $"retrait-{reference}.pdf"));
        Assert.Equal(letter.Content, copy.Attachments.Single(a => a.FileName == $"retrait-{reference}.pdf").Content);

        // The manufacturer is told, with a link; the letter is on their application page.
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("retirée", StringComparison.Ordinal));
        var applicationPage = await Html.ParseAsync(await (await portal.CreateClientForAsync(manufacturer)).GetAsync($"/demandes/{reference}"));
        Assert.NotNull(applicationPage.QuerySelector($"#decision a[href*='document={measure.LetterDocumentId}']"));
    }

    [Fact]
    public async Task BeforeItsStartDate_ADerogationIsUpcoming_OnThePage_TheCsv_TheJson_AndTheVerificationPage_ThenInForceOnTheDay()
    {
        var startsOn = DateOnly.FromDateTime(DateTime.Today).AddDays(13);
        var manufacturerUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitGlobalAsync(await portal.CreateClientForAsync(manufacturerUser));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        await Filing.TakeAsync(reviewer, reference);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["Conditions.ValidFrom"] = startsOn.ToString("yyyy-MM-dd"),
            ["Conditions.ValidUntil"] = startsOn.AddMonths(6).ToString("yyyy-MM-dd"), ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);
        var anonymous = portal.CreateAnonymousClient();

        Assert.Equal("À venir", (await PageStatusesAsync(anonymous, reference))[reference]);
        var csv = (await anonymous.GetStringAsync($"/derogations-globales.csv?recherche={reference}")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(",upcoming,", csv[1], StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(await anonymous.GetStringAsync($"/derogations-globales.json?recherche={reference}")))
        {
            Assert.Equal("upcoming", json.RootElement.GetProperty("derogations")[0].GetProperty("status").GetString());
        }

        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var code = await services.GetRequiredService<DerogationDbContext>().Decisions.Where(d => d.ApplicationId == id).Select(d => d.VerificationCode).SingleAsync();
        var verification = await Html.ParseAsync(await anonymous.GetAsync($"/verification/{code}"));
        Assert.Equal($"À venir : en vigueur à partir du {startsOn:dd/MM/yyyy}", verification.Texts("#verification dd")[3]);
        Assert.Equal($"À venir : en vigueur à partir du {startsOn:dd/MM/yyyy}", (await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).Text("#a-venir"));

        // The same rule on a clock the test sets: the day before, upcoming; on the start day (Paris), in force.
        RegisterStatus On(DateTimeOffset now) => new PublicRegister(services.GetRequiredService<DerogationDbContext>(), new FixedClock(now))
            .ListAsync(reference).GetAwaiter().GetResult().Single().Status;
        var start = new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(startsOn.ToDateTime(TimeOnly.MinValue), Derogation.Core.FrenchTime.Paris), TimeSpan.Zero);
        Assert.Equal(RegisterStatus.Upcoming, On(start.AddMinutes(-1)));
        Assert.Equal(RegisterStatus.InForce, On(start.AddMinutes(1)));
    }

    [Fact]
    public async Task Csv_NeutralisesSpreadsheetFormulas_InWhatApplicantsTyped()
    {
        var (reference, id, _, _, _) = await GrantedGlobalAsync();
        const string formula = "=HYPERLINK(\"https://exemple.invalid/\",\"Notice\")";
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            // As if the applicant had typed it as the trade name (the register reads the version granted).
            await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Database.ExecuteSqlAsync(
                $"UPDATE application_versions SET answers = jsonb_set(answers, '{{device,tradeName}}', to_jsonb({formula}::text)) WHERE application_id = {id}");
        }

        var csv = (await portal.CreateAnonymousClient().GetStringAsync($"/derogations-globales.csv?recherche={reference}")).TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var fields = Regex.Matches(csv[1], "(?<=^|,)(\"(?:[^\"]|\"\")*\"|[^,]*)").Select(m => m.Value.Trim('"').Replace("\"\"", "\"")).ToList();
        // A leading apostrophe: the spreadsheet shows the text, it does not evaluate it.
        Assert.Equal("'" + formula, fields[1]);
        Assert.All(fields, field => Assert.False(field.Length > 0 && field[0] is '=' or '+' or '@' or '\t' or '\r', $"cell {field} would be a formula"));
        Assert.Equal("'-5", Derogation.Web.Exports.Spreadsheets.Inert("-5"));
        Assert.Equal("Valve", Derogation.Web.Exports.Spreadsheets.Inert("Valve"));
    }

    [Fact]
    public async Task Measures_NeedReasons_InTheDomain_AndKeepWhatWasTyped()
    {
        var (reference, _, reviewer, signatory, _) = await GrantedGlobalAsync();
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var (error, _) = await scope.ServiceProvider.GetRequiredService<Proposals>().ProposeAsync(reference,
                new ProposalInput(ProposalAct.Suspension, null, "  ", new DecisionConditions(), signatory.Id), Guid.NewGuid(), null);
            Assert.Equal(ProposalError.ReasonsRequired, error);
        }

        // The holder opens the suspension form; meanwhile a senior reviewer has the derogation withdrawn.
        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/mesure?type=Suspension"));
        await MeasureAsync(await portal.CreateClientAsAsync(Roles.SeniorReviewer), reference, "Withdrawal", signatory, "Considérant le retrait décidé.");
        var page = await Html.ParseAsync(await reviewer.SubmitAsync(form, $"/instruction/{reference}/mesure?type=Suspension",
            new Dictionary<string, string> { ["Reasons"] = "Considérant un signal de vigilance.", ["SignatoryId"] = signatory.Id.ToString() }));
        Assert.StartsWith("Cette proposition ne s'applique pas à la demande dans son état actuel", page.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Considérant un signal de vigilance.", page.Text("#Reasons"));
    }

    [Fact]
    public async Task Expiry_MovesPastDerogationsToExpired_AndRemindsBeforeHand_OncePerThreshold()
    {
        var (reference, id, _, _, manufacturer) = await GrantedGlobalAsync(validUntil: "2027-03-31");
        Task<(int, int)> RunAt(DateTimeOffset now)
        {
            var scope = portal.Services.CreateAsyncScope();
            var clock = new FixedClock(now);
            var services = scope.ServiceProvider;
            return new ExpiryService(services.GetRequiredService<DerogationDbContext>(), new ExpiryOptions(), services.GetRequiredService<OutboxSignal>(), clock, TestLinks.At(services))
                .RunAsync();
        }

        async Task<int> RemindersAsync()
        {
            await using var scope = portal.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().OutboxMessages
                .CountAsync(m => m.ApplicationId == id && m.Purpose == "ExpiryReminder");
        }

        await RunAt(new DateTimeOffset(2027, 1, 15, 9, 0, 0, TimeSpan.Zero)); // 75 days before: nothing yet
        Assert.Equal(0, await RemindersAsync());
        await RunAt(new DateTimeOffset(2027, 2, 1, 9, 0, 0, TimeSpan.Zero)); // 58 days before: the 60-day reminder
        await RunAt(new DateTimeOffset(2027, 2, 2, 9, 0, 0, TimeSpan.Zero)); // not twice
        Assert.Equal(1, await RemindersAsync());
        // Queued for the manufacturer (the sender, on the real clock, sends it when due).
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var reminder = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().OutboxMessages.AsNoTracking()
                .SingleAsync(m => m.ApplicationId == id && m.Purpose == "ExpiryReminder");
            Assert.Equal(manufacturer.Email, reminder.Recipient);
            Assert.StartsWith($"Dérogation {reference} : fin de validité le 31/03/2027", reminder.Subject, StringComparison.Ordinal);
            Assert.Contains($"https://derogations.test/demandes/globale/prolongation?reference={reference}", reminder.Body, StringComparison.Ordinal);
        }

        await RunAt(new DateTimeOffset(2027, 3, 20, 9, 0, 0, TimeSpan.Zero)); // 11 days before: the 14-day reminder
        Assert.Equal(2, await RemindersAsync());

        var anonymous = portal.CreateAnonymousClient();
        await RunAt(new DateTimeOffset(2027, 3, 31, 20, 0, 0, TimeSpan.Zero)); // its last day, in Paris
        Assert.Equal("En vigueur", (await PageStatusesAsync(anonymous))[reference]);
        await RunAt(new DateTimeOffset(2027, 4, 1, 7, 0, 0, TimeSpan.Zero));
        Assert.Equal("Expirée", (await PageStatusesAsync(anonymous))[reference]);
        await using var check = portal.Services.CreateAsyncScope();
        Assert.Equal(ApplicationStatus.Expired, await check.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());
    }

    [Fact]
    public async Task Register_NamesTheLegalBasisAndIndication_AndListsAnnualProsthesisDerogationsApart_OnThePageCsvAndJson()
    {
        var (global, _, _, _, _) = await GrantedGlobalAsync();
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (dental, _) = await Filing.SubmitGlobalAsync(manufacturer, references: 2, annualProsthesis: true, prosthesisKind: "Dental");
        await portal.GrantAsync(dental, new Dictionary<string, string> { ["Conditions.ValidFrom"] = "2027-01-01", ["Conditions.ValidUntil"] = "2027-12-31" });
        var anonymous = portal.CreateAnonymousClient();

        var page = await Html.ParseAsync(await anonymous.GetAsync("/derogations-globales"));
        var globalRow = page.QuerySelectorAll("#registre-globales tbody tr").Single(r => r.TextContent.Contains(global, StringComparison.Ordinal));
        Assert.Contains("DM — règlement (UE) 2017/745, art. 59", globalRow.TextContent, StringComparison.Ordinal);
        Assert.Contains("Indication : Patients porteurs d'un implant Modulo nécessitant une révision.", Regex.Replace(globalRow.TextContent, @"\s+", " "), StringComparison.Ordinal);
        Assert.DoesNotContain(page.QuerySelectorAll("#registre-globales tbody tr"), r => r.TextContent.Contains(dental, StringComparison.Ordinal));
        Assert.Single(page.QuerySelectorAll("#registre-annuelles-dentaires tbody tr"), r => r.TextContent.Contains(dental, StringComparison.Ordinal));
        Assert.Equal("Dérogations annuelles — reprises partielles de prothèses dentaires (1)", page.Text("#titre-annuelles-dentaires"));

        var csv = (await anonymous.GetStringAsync("/derogations-globales.csv")).TrimStart('\uFEFF').Split("\r\n");
        Assert.EndsWith(",status,legal_basis,indication,annual_prosthesis", csv[0], StringComparison.Ordinal);
        Assert.EndsWith(",medical_device,Patients porteurs d'un implant Modulo nécessitant une révision.,dental", Assert.Single(csv, l => l.StartsWith(dental, StringComparison.Ordinal)), StringComparison.Ordinal);
        Assert.EndsWith(",medical_device,Patients porteurs d'un implant Modulo nécessitant une révision.,", Assert.Single(csv, l => l.StartsWith(global, StringComparison.Ordinal)), StringComparison.Ordinal);

        using var json = JsonDocument.Parse(await anonymous.GetStringAsync("/derogations-globales.json"));
        var entry = json.RootElement.GetProperty("derogations").EnumerateArray().Single(e => e.GetProperty("reference").GetString() == dental);
        Assert.Equal("dental", entry.GetProperty("annualProsthesis").GetString());
        Assert.Equal("medical_device", entry.GetProperty("legalBasis").GetString());
    }

    [Fact]
    public async Task AnIndividualDerogationWithAnEndDate_ExpiresLikeAGlobalOne_AndOneWithoutNeverDoes()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (dated, datedId) = await Filing.SubmitIndividualAsync(manufacturer);
        var (open, openId) = await Filing.SubmitIndividualAsync(manufacturer);
        await portal.GrantAsync(dated, new Dictionary<string, string> { ["Conditions.ValidUntil"] = "2027-03-31" });
        await portal.GrantAsync(open);

        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            // The first day after the end of validity, in Paris.
            await new ExpiryService(services.GetRequiredService<DerogationDbContext>(), new ExpiryOptions(), services.GetRequiredService<OutboxSignal>(),
                new FixedClock(new DateTimeOffset(2027, 4, 1, 7, 0, 0, TimeSpan.Zero)), TestLinks.At(services)).RunAsync();
        }

        await using var check = portal.Services.CreateAsyncScope();
        var db = check.ServiceProvider.GetRequiredService<DerogationDbContext>();
        Assert.Equal(ApplicationStatus.Expired, (await db.Applications.AsNoTracking().SingleAsync(a => a.Id == datedId)).Status);
        Assert.Equal(ApplicationStatus.Granted, (await db.Applications.AsNoTracking().SingleAsync(a => a.Id == openId)).Status);
        Assert.True(await db.AuditEvents.AnyAsync(e => e.Action == Derogation.Core.Audit.AuditActions.Expired && e.SubjectId == datedId.ToString()));
        // The applicant sees it.
        Assert.Contains("Expirée", (await Html.ParseAsync(await manufacturer.GetAsync($"/demandes/{dated}"))).Texts(".fr-badge"));
    }

    [Fact]
    public async Task TheRegisterInEnglish_WordsTheConditionsInEnglish_AroundAnsmsOwnText()
    {
        var (reference, _, _, _, _) = await GrantedGlobalAsync();
        var client = portal.CreateAnonymousClient();
        var french = await Html.ParseAsync(await client.GetAsync($"/derogations-globales?recherche={reference}"));
        Assert.Equal("40 patients au plus ; Centres de référence uniquement", french.QuerySelectorAll("#registre tbody td")[5].TextContent.Trim());

        var cookie = (await client.GetAsync("/langue/en?retour=%2F")).Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Culture=", StringComparison.Ordinal));
        var request = new HttpRequestMessage(HttpMethod.Get, $"/derogations-globales?recherche={reference}");
        request.Headers.Add("Cookie", cookie.Split(';')[0]);
        var english = await Html.ParseAsync(await client.SendAsync(request));
        Assert.Equal("at most 40 patients; Centres de référence uniquement", english.QuerySelectorAll("#registre tbody td")[5].TextContent.Trim());
        Assert.DoesNotContain("au plus", english.QuerySelector("#registre")!.TextContent);
    }
}
