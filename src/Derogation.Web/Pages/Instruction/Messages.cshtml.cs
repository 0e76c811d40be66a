using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Messages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Instruction;

/// <summary>ANSM's side of the thread: every ANSM page reader sees it; reviewers write.</summary>
public sealed class MessagesModel(DerogationDbContext db, CaseMessages messages, DocumentStore store, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l)
    : ThreadPage(db, messages, store, documentOptions, l)
{
    public override bool ForAnsm => true;

    public override bool MayWrite => User.IsReviewer();
}
