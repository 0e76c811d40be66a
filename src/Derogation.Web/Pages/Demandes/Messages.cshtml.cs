using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Messages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Demandes;

/// <summary>The applicant's side of the thread: the filer's and the manufacturer's users, once the application is submitted.</summary>
public sealed class MessagesModel(DerogationDbContext db, CaseMessages messages, DocumentStore store, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l)
    : ThreadPage(db, messages, store, documentOptions, l)
{
    public override bool ForAnsm => false;
}
