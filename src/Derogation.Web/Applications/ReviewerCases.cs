using System.Security.Claims;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Web.Applications;

public static class ReviewerCases
{
    /// <summary>
    /// The submitted application a reviewer acts on (request, decision, measure), with its manufacturer; null — shown
    /// as 404 — for anyone who does not review, or an address that is not a submitted application.
    /// </summary>
    public static async Task<Application?> FindForReviewerAsync(this DerogationDbContext db, ClaimsPrincipal user, string reference) =>
        !user.IsReviewer() ? null
        : await db.Applications.AsNoTracking().Include(a => a.Manufacturer).FindVisibleAsync(reference, user.AsViewer()) is { Reference: not null } application
            ? application
            : null;

    /// <summary>The signatories a reviewer chooses from: name and the title printed on the letter.</summary>
    public static async Task<IReadOnlyList<(string, string)>> SignatoryChoicesAsync(this DecisionService decisions) =>
        (await decisions.SignatoriesAsync()).Select(s => (s.Id.ToString(), $"{s.FullName} — {s.JobTitle ?? DecisionService.DefaultSignatoryTitle}")).ToList();
}
