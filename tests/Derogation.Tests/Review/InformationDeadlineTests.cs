using System.Net;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Notifications;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>Information-request deadlines that act: a reminder, the holder told, a refusal or closure while waiting, a cancellation.</summary>
public sealed class InformationDeadlineTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<(string Reference, Guid Id, HttpClient Applicant, TestUser ApplicantUser, HttpClient Reviewer, TestUser ReviewerUser, DateOnly Deadline)> RequestedAsync()
    {
        var applicantUser = await portal.CreateUserAsync(Roles.Manufacturer);
        var applicant = await portal.CreateClientForAsync(applicantUser);
        var (reference, id) = await Filing.SubmitIndividualAsync(applicant);
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer);
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);
        var deadline = DateOnly.FromDateTime(DateTime.Today).AddDays(10);
        var requested = await reviewer.SubmitPairsAsync($"/instruction/{reference}/demande-information",
            [new("Message", "Transmettez le rapport d'essais du lot utilisé."), new("AnswerDeadline", deadline.ToString("yyyy-MM-dd"))]);
        Assert.Equal(HttpStatusCode.Redirect, requested.StatusCode);
        return (reference, id, applicant, applicantUser, reviewer, reviewerUser, deadline);
    }

    private async Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<DerogationDbContext>());
    }

    /// <summary>The deadline job, as the background worker runs it, on a day the test chooses (noon in Paris).</summary>
    private async Task<(int Reminded, int Overdue)> RunOnAsync(DateOnly day)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var requests = new InformationRequests(services.GetRequiredService<DerogationDbContext>(), services.GetRequiredService<DocumentStore>(),
            services.GetRequiredService<RuleContext>(), services.GetRequiredService<OutboxSignal>(), new InformationRequestOptions(),
            new FixedClock(new DateTimeOffset(day.ToDateTime(new TimeOnly(11, 0)), TimeSpan.Zero)), services.GetRequiredService<PrescriberPart>(), TestLinks.At(services));
        return await requests.RunDeadlinesAsync();
    }

    [Fact]
    public async Task TheApplicantIsRemindedOnce_ThreeDaysBefore_AndTheHolderToldOnceTheDeadlinePassed_WithTheCaseFlagged()
    {
        var (reference, id, _, applicantUser, reviewer, reviewerUser, deadline) = await RequestedAsync();
        Assert.Equal((0, 0), await RunOnAsync(deadline.AddDays(-5)));
        Assert.Equal((1, 0), await RunOnAsync(deadline.AddDays(-3)));
        Assert.Equal((0, 0), await RunOnAsync(deadline.AddDays(-2)));
        var reminder = await InDatabaseAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ApplicationId == id && m.Purpose == "InformationDeadlineReminded"));
        Assert.Equal(applicantUser.Email, reminder.Recipient);
        Assert.Contains($"avant le {deadline:dd/MM/yyyy}", reminder.Body, StringComparison.Ordinal);
        Assert.Contains($"https://derogations.test/demandes/{reference}", reminder.Body, StringComparison.Ordinal);

        Assert.Equal((0, 0), await RunOnAsync(deadline));
        Assert.Equal((0, 1), await RunOnAsync(deadline.AddDays(1)));
        Assert.Equal((0, 0), await RunOnAsync(deadline.AddDays(2)));
        var told = await InDatabaseAsync(db => db.OutboxMessages.AsNoTracking().SingleAsync(m => m.ApplicationId == id && m.Purpose == "InformationDeadlinePassed"));
        Assert.Equal(reviewerUser.Email, told.Recipient);

        // Once the deadline has passed (moved into the past here, as the calendar would), the case is flagged in the holder's tab.
        await InDatabaseAsync(db => db.InformationRequests.Where(r => r.ApplicationId == id)
            .ExecuteUpdateAsync(r => r.SetProperty(x => x.AnswerDeadline, DateOnly.FromDateTime(DateTime.Today).AddDays(-1))));
        var mine = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?onglet=Mine&recherche={reference}"));
        Assert.Contains("Délai dépassé", mine.Texts("tbody tr td .fr-badge"));
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Délai dépassé", caseFile.Text("#delai-depasse"));
        Assert.Equal("Proposer un refus ou une clôture", caseFile.QuerySelector($"a[href='/instruction/{reference}/decision']")!.TextContent.Trim());
    }

    [Fact]
    public async Task WhileInformationIsRequested_ARefusalGoesThroughTheSignaturePath_AndClosesTheRequest_ButAGrantIsNotOffered()
    {
        var (reference, id, applicant, _, reviewer, _, _) = await RequestedAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var form = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        Assert.Equal(["Refuse", "CloseWithoutDecision"], form.QuerySelectorAll("input[name=Outcome]").Select(i => i.GetAttribute("value")!));
        // A grant posted anyway is refused, and what was typed is kept.
        await reviewer.CompleteGridAsync(reference);
        var forged = await Html.ParseAsync(await reviewer.SubmitAsync(form, $"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice.", ["SignatoryId"] = signatory.Id.ToString() }));
        Assert.StartsWith("Cette proposition ne s'applique pas", forged.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Considérant le bénéfice.", forged.Text("#Reasons"));

        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync(form, $"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de réponse dans le délai imparti.", ["SignatoryId"] = signatory.Id.ToString() });
        Assert.Equal(ApplicationStatus.InformationRequested, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        Assert.Equal(HttpStatusCode.OK, (await applicant.GetAsync($"/demandes/{reference}/reponse")).StatusCode);

        await portal.SignAsync(reference, signatory);
        Assert.Equal(ApplicationStatus.Refused, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        Assert.NotNull(await InDatabaseAsync(db => db.InformationRequests.Where(r => r.ApplicationId == id).Select(r => r.CancelledAt).SingleAsync()));
        Assert.NotEqual(HttpStatusCode.OK, (await applicant.GetAsync($"/demandes/{reference}/reponse")).StatusCode);
        var applicationPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.Equal("Demande close par la décision de l'ANSM.", applicationPage.Text(".information-request-cancelled"));
    }

    [Fact]
    public async Task TheHolderCancelsARequest_WithAReasonTheApplicantReads_AndNobodyElseMay()
    {
        var (reference, id, applicant, applicantUser, reviewer, _, _) = await RequestedAsync();
        var colleague = await portal.CreateUserAsync(Roles.Reviewer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            Assert.Equal(CancelRequestError.NotHolder, await scope.ServiceProvider.GetRequiredService<InformationRequests>()
                .CancelAsync(reference, "Plus nécessaire.", colleague.Id));
        }

        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        var missing = await Html.ParseAsync(await reviewer.SubmitAsync(caseFile, $"/instruction/{reference}", new Dictionary<string, string>(), "form#annuler-demande"));
        Assert.Contains("Motif de l'annulation : il est obligatoire ; le demandeur le lira.", missing.Texts("#resume-erreurs li"));
        Assert.Equal(ApplicationStatus.InformationRequested, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));

        var cancelled = await reviewer.SubmitAsync(caseFile, $"/instruction/{reference}", new Dictionary<string, string>
            { ["CancelReason"] = "Le rapport a été transmis par ailleurs : la demande n'a plus d'objet." }, "form#annuler-demande");
        Assert.Equal(HttpStatusCode.Redirect, cancelled.StatusCode);
        Assert.Equal(ApplicationStatus.UnderReview, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var applicationPage = await Html.ParseAsync(await applicant.GetAsync($"/demandes/{reference}"));
        Assert.StartsWith("Demande annulée par l'ANSM le", applicationPage.Text(".information-request-cancelled"), StringComparison.Ordinal);
        Assert.Contains("Le rapport a été transmis par ailleurs : la demande n'a plus d'objet.", applicationPage.Body!.TextContent, StringComparison.Ordinal);
        await portal.WaitForMailAsync(m => m.To.Contains(applicantUser.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal) && m.Subject.Contains("annulée", StringComparison.Ordinal));
        Assert.NotEqual(HttpStatusCode.OK, (await applicant.GetAsync($"/demandes/{reference}/reponse")).StatusCode);
    }
}
