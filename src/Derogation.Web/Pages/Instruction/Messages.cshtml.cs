using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Messages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>ANSM's side of the thread: every ANSM page reader sees it; reviewers write.</summary>
public sealed class MessagesModel(DerogationDbContext db, CaseMessages messages, DocumentStore store, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l)
    : ThreadPage(messages, store, documentOptions, l)
{
    public override bool ForAnsm => true;

    public override bool MayWrite => User.IsReviewer();

    protected override async Task<Application?> FindAsync(string reference) =>
        await db.Applications.AsNoTracking().FindVisibleAsync(reference, User.AsViewer()) is { Reference: not null } application ? application : null;
}
