using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>The assessment grid filled in, as a reviewer does before proposing a grant or a refusal.</summary>
public static class Assessing
{
    /// <summary>
    /// Fills every criterion of <paramref name="reference"/>'s grid through its page, when this reviewer may (the holder
    /// or a senior reviewer, before the decision): tests about who may propose still meet the proposal's own refusal.
    /// </summary>
    public static async Task CompleteGridAsync(this HttpClient reviewer, string reference, string opinion = "Favourable")
    {
        var page = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/grille"));
        if (page.QuerySelector("main form button[type=submit]") is null)
        {
            return;
        }

        var criteria = page.QuerySelectorAll("input[type=hidden][name$='.Criterion']").Count();
        Xunit.Assert.True(criteria > 0, $"No grid for {reference}.");
        var values = new Dictionary<string, string>();
        for (var i = 0; i < criteria; i++)
        {
            values[$"Grid[{i}].Opinion"] = opinion;
            values[$"Grid[{i}].Comment"] = "Apprécié au vu du dossier.";
        }

        var saved = await reviewer.SubmitAsync(page, $"/instruction/{reference}/grille", values);
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
    }

    /// <summary>Fills the grid in the database, for tests that call the proposal service directly.</summary>
    public static async Task CompleteGridAsync(IServiceProvider services, string reference, Guid reviewerId)
    {
        var db = services.GetRequiredService<DerogationDbContext>();
        var application = await db.Applications.Where(a => a.Reference == reference).Select(a => new { a.Id, a.Kind }).SingleAsync();
        var (applicationId, kind) = (application.Id, application.Kind);
        foreach (var criterion in Assessments.CriteriaFor(kind))
        {
            if (!await db.AssessmentEntries.AnyAsync(e => e.ApplicationId == applicationId && e.Criterion == criterion))
            {
                db.AssessmentEntries.Add(new AssessmentEntry
                {
                    ApplicationId = applicationId, Criterion = criterion, Opinion = AssessmentOpinion.Favourable, Comment = "Apprécié au vu du dossier.",
                    UpdatedByUserId = reviewerId, UpdatedAt = DateTimeOffset.UtcNow,
                });
            }
        }

        await db.SaveChangesAsync();
    }
}
