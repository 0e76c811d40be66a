using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

public sealed class AssignmentTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task SeniorReviewer_Assigns_ThenReassigns_AndBothAreInTheHistory()
    {
        var (reference, id) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var senior = await portal.CreateClientAsAsync(Roles.SeniorReviewer);
        var first = await portal.CreateUserAsync(Roles.Reviewer);
        var second = await portal.CreateUserAsync(Roles.Reviewer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            // Distinct names, so the history says who is who.
            var db = scope.ServiceProvider.GetRequiredService<DerogationDbContext>();
            await db.Users.Where(u => u.Id == first.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.FullName, "Inès Premier"));
            await db.Users.Where(u => u.Id == second.Id).ExecuteUpdateAsync(u => u.SetProperty(x => x.FullName, "Hugo Second"));
        }

        var assigned = await senior.SubmitAsync($"/instruction/{reference}/attribution", new Dictionary<string, string> { ["ReviewerId"] = first.Id.ToString() });
        Assert.Equal($"/instruction/{reference}", assigned.Headers.Location!.OriginalString);
        var again = await Html.ParseAsync(await senior.SubmitAsync($"/instruction/{reference}/attribution", new Dictionary<string, string> { ["ReviewerId"] = first.Id.ToString() }));
        Assert.Equal(["Évaluateur : cette personne instruit déjà la demande ; choisissez-en une autre."], again.Texts("#resume-erreurs li"));
        await senior.SubmitAsync($"/instruction/{reference}/attribution", new Dictionary<string, string> { ["ReviewerId"] = second.Id.ToString() });

        var caseFile = await Html.ParseAsync(await senior.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Hugo Second", caseFile.Text("#instructeur"));
        var history = caseFile.Texts("tbody td").ToList();
        Assert.Contains(history, h => h.StartsWith("Attribuée : Déposée → En cours d'instruction", StringComparison.Ordinal) && h.EndsWith("Inès Premier", StringComparison.Ordinal));
        Assert.Contains(history, h => h.StartsWith("Attribuée : En cours d'instruction → En cours d'instruction", StringComparison.Ordinal) && h.EndsWith("Inès Premier → Hugo Second", StringComparison.Ordinal));

        // The new holder finds it under "mine"; the first one no longer does.
        var mine = await Html.ParseAsync(await (await portal.CreateClientForAsync(second)).GetAsync("/instruction?onglet=Mine"));
        Assert.Contains(reference, mine.Texts("tbody td:nth-child(2)"));
        var former = await Html.ParseAsync(await (await portal.CreateClientForAsync(first)).GetAsync("/instruction?onglet=Mine"));
        Assert.DoesNotContain(reference, former.Texts("tbody td:nth-child(2)"));
        await using var check = portal.Services.CreateAsyncScope();
        Assert.Equal(ApplicationStatus.UnderReview, await check.ServiceProvider.GetRequiredService<DerogationDbContext>().Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync());
    }

    [Fact]
    public async Task OnlyASeniorReviewer_Assigns_AndOnlyToAReviewer()
    {
        var (reference, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewer.GetAsync($"/instruction/{reference}/attribution")).StatusCode);
        Assert.Null((await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"))).QuerySelector($"a[href='/instruction/{reference}/attribution']"));

        var senior = await portal.CreateClientAsAsync(Roles.SeniorReviewer);
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var page = await Html.ParseAsync(await senior.GetAsync($"/instruction/{reference}/attribution"));
        Assert.Null(page.QuerySelector($"#ReviewerId option[value='{signatory.Id}']"));
        var refused = await Html.ParseAsync(await senior.SubmitAsync(page, $"/instruction/{reference}/attribution", new Dictionary<string, string> { ["ReviewerId"] = signatory.Id.ToString() }));
        Assert.Equal(["Évaluateur : choisissez un compte d'évaluateur de l'ANSM."], refused.Texts("#resume-erreurs li"));
    }
}
