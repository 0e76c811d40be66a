using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class ReviewQueueTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task SetAsync(Guid id, DateOnly target)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == id)
            .ExecuteUpdateAsync(a => a.SetProperty(x => x.TargetDate, target));
    }

    [Fact]
    public async Task Queue_ListsSubmittedApplicationsByTargetDate_FlagsOverdueOnes_AndNeverShowsDrafts()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (planned, _) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("Planned"));
        var (vital, _) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("VitalEmergency"));
        var (late, lateId) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("Urgent"));
        await SetAsync(lateId, DateOnly.FromDateTime(DateTime.Today.AddDays(-3)));
        await manufacturer.SubmitAsync("/demandes/individuelle/nouvelle", new Dictionary<string, string>()); // a draft

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var page = await Html.ParseAsync(await reviewer.GetAsync("/instruction"));
        var references = page.Texts("tbody td:nth-child(2)").ToList();
        Assert.True(references.IndexOf(late) < references.IndexOf(vital) && references.IndexOf(vital) < references.IndexOf(planned),
            $"Expected by target date: {late}, {vital}, {planned}; got {string.Join(", ", references)}");
        var lateRow = page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(late, StringComparison.Ordinal));
        Assert.Equal("En retard", lateRow.QuerySelector(".fr-badge--error")!.TextContent);
        Assert.Null(page.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(planned, StringComparison.Ordinal)).QuerySelector(".fr-badge--error"));

        await using var scope = portal.Services.CreateAsyncScope();
        var drafts = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.CountAsync(a => a.Status == ApplicationStatus.Draft);
        Assert.True(drafts > 0);
        var all = await Html.ParseAsync(await reviewer.GetAsync("/instruction?onglet=All"));
        Assert.DoesNotContain(all.Texts("tbody td:nth-child(2)"), r => !r.StartsWith("DIV-", StringComparison.Ordinal) && !r.StartsWith("DGL-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Queue_FiltersAndSearches()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);

        var byReference = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={reference}"));
        Assert.Equal([reference], byReference.Texts("tbody td:nth-child(2)"));
        var lowerCase = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche=%20{reference.ToLowerInvariant()}%20"));
        Assert.Equal([reference], lowerCase.Texts("tbody td:nth-child(2)"));
        var globalOnly = await Html.ParseAsync(await reviewer.GetAsync("/instruction?onglet=All&type=Global"));
        Assert.DoesNotContain(reference, globalOnly.Texts("tbody td:nth-child(2)"));
        var ivd = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&base=InVitroDiagnostic&recherche=genoscreen"));
        Assert.Contains(reference, ivd.Texts("tbody td:nth-child(2)"));
        var md = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&base=MedicalDevice&recherche={reference}"));
        Assert.Empty(md.Texts("tbody td:nth-child(2)"));
    }

    [Fact]
    public async Task Queue_PagesThroughMoreThanAPage_FromTheAddress()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        // Thirty copies of that application, each with its own reference and a device name no other test uses: two pages.
        var device = $"Pompe-{Guid.NewGuid():N}"[..20];
        var stem = $"DIV-2099-{Random.Shared.Next(10, 99)}";
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            for (var i = 0; i < 30; i++)
            {
                var copy = await db.Applications.AsNoTracking().SingleAsync(a => a.Id == id);
                copy.Id = Guid.NewGuid();
                copy.Reference = $"{stem}{i:000}";
                copy.DeviceName = device;
                db.Applications.Add(copy);
            }

            await db.SaveChangesAsync();
        }

        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var first = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={device}"));
        var second = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=All&recherche={device}&page=2"));
        Assert.Equal(25, first.Texts("tbody td:nth-child(2)").Count());
        Assert.Equal(5, second.Texts("tbody td:nth-child(2)").Count());
        Assert.Empty(first.Texts("tbody td:nth-child(2)").Intersect(second.Texts("tbody td:nth-child(2)")));
        Assert.Equal("2", second.Text(".fr-pagination__link[aria-current=page]"));
        Assert.All(first.Texts("tbody td:nth-child(2)").Concat(second.Texts("tbody td:nth-child(2)")), r => Assert.StartsWith(stem, r, StringComparison.Ordinal));
        Assert.DoesNotContain(reference, second.Texts("tbody td:nth-child(2)"));
    }

    [Fact]
    public async Task Reviewer_TakesAnApplication_ASecondReviewerIsToldWhoHoldsIt()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var colleague = await portal.CreateClientAsAsync(Roles.Reviewer);
        var colleaguesView = await Html.ParseAsync(await colleague.GetAsync($"/instruction?recherche={reference}"));

        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        var taken = await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        Assert.Equal($"/instruction/{reference}", taken.Headers.Location!.OriginalString);
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal($"Vous instruisez désormais la demande {reference}.", caseFile.Text(".fr-alert--info"));
        Assert.Equal("En cours d'instruction", caseFile.Text(".fr-badge"));
        Assert.Equal("Utilisateur Test", caseFile.Text("#instructeur"));

        var mine = await Html.ParseAsync(await reviewer.GetAsync("/instruction?onglet=Mine"));
        Assert.Contains(reference, mine.Texts("tbody td:nth-child(2)"));

        var late = await colleague.SubmitAsync(colleaguesView, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        Assert.Equal("/instruction", late.Headers.Location!.OriginalString);
        Assert.Equal($"La demande {reference} est déjà instruite par Utilisateur Test.", (await Html.ParseAsync(await colleague.GetAsync("/instruction"))).Text(".fr-alert--info"));
    }

    [Fact]
    public async Task TwoReviewersTakingAtOnce_OneGetsIt()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewers = new[] { await portal.CreateClientAsAsync(Roles.Reviewer), await portal.CreateClientAsAsync(Roles.Reviewer) };
        var pages = await Task.WhenAll(reviewers.Select(async r => await Html.ParseAsync(await r.GetAsync($"/instruction?recherche={reference}"))));

        var results = await Task.WhenAll(reviewers.Select((r, i) => r.SubmitAsync(pages[i], "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']")));

        Assert.Single(results, r => r.Headers.Location!.OriginalString == $"/instruction/{reference}");
        await using var scope = portal.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
        Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.SubjectId == id.ToString() && e.Action == "Taken"));
    }

    [Fact]
    public async Task CaseFile_ShowsTheSubmittedAnswers_DocumentsAndHistory()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturer);
        var signatory = await portal.CreateClientAsAsync(Roles.Signatory);

        var caseFile = await Html.ParseAsync(await signatory.GetAsync($"/instruction/{reference}"));
        Assert.Contains("GenoScreen NGS Panel", caseFile.Texts("dd"));
        Assert.Contains("Adrénoleucodystrophie suspectée, symptômes depuis 2024.", caseFile.Texts("dd"));
        Assert.Contains(caseFile.Texts("tbody td"), t => t.StartsWith("Demande déposée", StringComparison.Ordinal));
        var link = caseFile.QuerySelector("#documents a.fr-link")!.GetAttribute("href")!;
        var download = await signatory.GetAsync(link);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.StartsWith("%PDF-", System.Text.Encoding.ASCII.GetString(await download.Content.ReadAsByteArrayAsync())[..5]);

        // A signatory reads but does not take.
        var queue = await Html.ParseAsync(await signatory.GetAsync("/instruction"));
        Assert.Null(queue.QuerySelector("form[action*='handler=Take']"));
    }

    [Fact]
    public async Task Workspace_IsNotFoundForFilers_AndAsksReviewersForTheSecondFactor()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturer);
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturer.GetAsync("/instruction")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await manufacturer.GetAsync($"/instruction/{reference}")).StatusCode);

        var withoutSecondFactor = await portal.CreateClientForAsync(await portal.CreateUserAsync(Roles.Reviewer), secondFactor: false);
        var refused = await withoutSecondFactor.GetAsync($"/instruction/{reference}");
        Assert.Equal("/compte/double-authentification", refused.Headers.Location!.OriginalString.Split('?')[0]);
        Assert.Equal(HttpStatusCode.NotFound, (await (await portal.CreateClientAsAsync(Roles.Reviewer)).GetAsync("/instruction/DIV-1999-00001")).StatusCode);
    }

    [Fact]
    public async Task DecidedTab_KeepsWhatBecameOfAGrant_AndUrgencyIsABadgeOnlyForAPatient()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (vital, _) = await Filing.SubmitIndividualAsync(manufacturer, Filing.PatientWithUrgency("VitalEmergency"));
        var (global, globalId) = await Filing.SubmitGlobalAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);

        var queue = await Html.ParseAsync(await reviewer.GetAsync("/instruction?onglet=All"));
        var vitalRow = queue.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(vital, StringComparison.Ordinal));
        Assert.Equal("Urgence vitale", vitalRow.QuerySelector("td:nth-child(6) .fr-badge--error")!.TextContent.Trim());
        var globalRow = queue.QuerySelectorAll("tbody tr").Single(r => r.TextContent.Contains(global, StringComparison.Ordinal));
        Assert.Equal("—", globalRow.QuerySelector("td:nth-child(6)")!.TextContent.Trim());

        // A suspended derogation was decided all the same: it stays in the "Décidés" tab.
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == globalId)
                .ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ApplicationStatus.Suspended));
        }

        var decided = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=Decided&recherche={global}"));
        Assert.Equal([global], decided.Texts("tbody td:nth-child(2)"));
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{global}"));
        Assert.Null(caseFile.QuerySelector("#urgence"));
        Assert.Contains("Qualité du déposant", caseFile.Texts("dt"));
        // Times are Paris time, said once at the foot of a page that shows one; a page without times says nothing.
        Assert.Equal("Les heures de cette page sont à l'heure de Paris (heure légale française).", caseFile.Text("#fuseau-horaire"));
        Assert.Null((await Html.ParseAsync(await reviewer.GetAsync("/"))).QuerySelector("#fuseau-horaire"));
        Assert.DoesNotContain("Vous déposez en tant que", caseFile.Texts("dt"));
        // Each heading once: the tables' captions are for screen readers, the visible title is the heading.
        var headings = caseFile.Texts("h2").ToList();
        Assert.Equal(headings.Distinct().Count(), headings.Count);
        var repeated = caseFile.QuerySelectorAll("caption").Where(c => headings.Contains(c.TextContent.Trim())).ToList();
        Assert.NotEmpty(repeated);
        Assert.All(repeated, caption => Assert.Contains("fr-sr-only", caption.ClassList));
    }
}
