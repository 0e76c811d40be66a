using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Accounts;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Core.Review;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>Four-eyes decisions: the reviewer holding the case proposes, a signatory other than the author signs with a fresh code.</summary>
public sealed class DecisionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{

    private async Task<(string Reference, Guid Id, HttpClient Reviewer, TestUser ReviewerUser, TestUser Manufacturer)> UnderReviewAsync()
    {
        var manufacturer = await portal.CreateUserAsync(Roles.Manufacturer);
        var (reference, id) = await Filing.SubmitIndividualAsync(await portal.CreateClientForAsync(manufacturer));
        var reviewerUser = await portal.CreateUserAsync(Roles.Reviewer, fullName: "Paul Evaluateur");
        var reviewer = await portal.CreateClientForAsync(reviewerUser);
        await Filing.TakeAsync(reviewer, reference);
        return (reference, id, reviewer, reviewerUser, manufacturer);
    }

    private async Task<T> InScopeAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider);
    }

    private Task<T> InDatabaseAsync<T>(Func<DerogationDbContext, Task<T>> work) => InScopeAsync(s => work(s.GetRequiredService<DerogationDbContext>()));

    private async Task<(ProposalError Error, Proposal? Proposal)> ProposeAsync(string reference, ProposalInput input, Guid reviewerId, int? revision = null)
    {
        // The grid filled in first, as the reviewer does: these tests are about the other rules.
        await InScopeAsync(async s => { await Assessing.CompleteGridAsync(s, reference, reviewerId); return 0; });
        return await InScopeAsync(s => s.GetRequiredService<Proposals>().ProposeAsync(reference, input, reviewerId, revision));
    }

    private Task<(ProposalError Error, Proposal? Proposal)> SignAsync(string reference, Guid signatoryId, string? code, int revision, bool allowWithoutSecondFactor = false) =>
        InScopeAsync(s => s.GetRequiredService<Proposals>().SignAsync(reference, signatoryId, code, revision, allowWithoutSecondFactor));

    private static ProposalInput Grant(Guid signatoryId) =>
        new(ProposalAct.Decision, DecisionOutcome.Grant, "Considérant l'absence d'alternative marquée CE.", new DecisionConditions { MaxPatients = 1 }, signatoryId);

    [Fact]
    public async Task ADecisionPost_IssuesNothing_UntilASignatorySigns_AndTheLetterNamesWhoSignedAndNoOneElse()
    {
        var (reference, id, reviewer, _, manufacturer) = await UnderReviewAsync();
        var addressed = await portal.CreateUserAsync(Roles.Signatory, fullName: "Hélène Marchand");
        var signer = await portal.CreateUserAsync(Roles.Signatory, fullName: "Marc Delorme");
        await reviewer.CompleteGridAsync(reference);
        var proposed = await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative marquée CE.", ["Conditions.MaxPatients"] = "1", ["SignatoryId"] = addressed.Id.ToString(),
        });
        Assert.Equal($"/instruction/{reference}", proposed.Headers.Location!.OriginalString);

        // Nothing issued: no decision, no letter, no e-mail to the applicant; the applicant still reads "under review".
        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == id)));
        Assert.False(await InDatabaseAsync(db => db.IssuedDocuments.AnyAsync(d => d.ApplicationId == id && d.Kind == IssuedDocumentKind.DecisionLetter)));
        Assert.False(await InDatabaseAsync(db => db.OutboxMessages.AnyAsync(m => m.ApplicationId == id && m.Recipient == manufacturer.Email && m.Purpose == nameof(IssuedDocumentKind.DecisionLetter))));
        Assert.Equal(ApplicationStatus.UnderReview, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        var applicantPage = await Html.ParseAsync(await (await portal.CreateClientForAsync(manufacturer)).GetAsync($"/demandes/{reference}"));
        Assert.Contains("En cours d'instruction", applicantPage.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("signature", applicantPage.Body!.TextContent, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.NotFound, (await (await portal.CreateClientForAsync(manufacturer)).GetAsync($"/demandes/{reference}/lettre")).StatusCode);
        // ANSM sees it waiting, and the addressee is told.
        var caseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("En attente de signature", caseFile.Text("#en-attente-signature"));
        Assert.True(await InDatabaseAsync(db => db.OutboxMessages.AnyAsync(m => m.ApplicationId == id && m.Recipient == addressed.Email && m.Purpose == "Proposed")));

        // Another signatory than the one addressed signs: the letter carries their name only.
        await portal.SignAsync(reference, signer);
        var decision = await InDatabaseAsync(db => db.Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == id));
        Assert.Equal(signer.Id, decision.SignatoryUserId);
        Assert.Equal("Marc Delorme", decision.SignatoryName);
        var letter = await InDatabaseAsync(db => db.IssuedDocuments.AsNoTracking().SingleAsync(d => d.Id == decision.LetterDocumentId));
        var text = Regex.Replace(await PdfText.ReadAsync(letter.Content), @"\s+", " ");
        Assert.Contains("Pour le directeur général et par délégation, Marc Delorme", text);
        Assert.Contains($"Signé le {Derogation.Core.FrenchTime.InParis(decision.DecidedAt).ToString("d MMMM yyyy 'à' HH'h'mm", new System.Globalization.CultureInfo("fr-FR"))} (heure de Paris)", text);
        Assert.DoesNotContain("Hélène Marchand", text);
        Assert.DoesNotContain("Paul Evaluateur", text);
        Assert.Equal(ApplicationStatus.Granted, await InDatabaseAsync(db => db.Applications.Where(a => a.Id == id).Select(a => a.Status).SingleAsync()));
        await portal.WaitForMailAsync(m => m.To.Contains(manufacturer.Email, StringComparison.OrdinalIgnoreCase) && m.Subject.Contains("décision", StringComparison.Ordinal));
        var download = await (await portal.CreateClientForAsync(manufacturer)).GetAsync($"/demandes/{reference}/lettre");
        Assert.Equal(letter.Content, await download.Content.ReadAsByteArrayAsync());
        Assert.True(download.Headers.CacheControl?.NoStore, "the letter is served with Cache-Control: no-store");

        // The audit trail says who proposed, who signed, and when.
        var history = await InDatabaseAsync(db => db.AuditEvents.AsNoTracking().Where(e => e.SubjectId == id.ToString()).OrderBy(e => e.Id).Select(e => new { e.Action, e.ActorUserId }).ToListAsync());
        Assert.Contains(history, e => e.Action == Derogation.Core.Audit.AuditActions.Signed && e.ActorUserId == signer.Id);
        Assert.Contains(history, e => e.Action == Derogation.Core.Audit.AuditActions.Decided && e.ActorUserId == signer.Id);
        var signedCaseFile = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}"));
        Assert.Equal("Accordée", signedCaseFile.Text(".fr-badge"));
        Assert.StartsWith("Signée par Marc Delorme, Par délégation du directeur général de l'ANSM", signedCaseFile.Text("#decision .fr-text--sm"));
        Assert.Contains("Proposition transmise pour signature", signedCaseFile.Texts("tbody td"));
    }

    [Fact]
    public async Task OnlyTheHolderOrASeniorReviewer_Proposes_InTheService_NotOnlyOnThePage()
    {
        var (reference, id, _, holder, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var colleague = await portal.CreateUserAsync(Roles.Reviewer);
        Assert.Equal(ProposalError.NotHolder, (await ProposeAsync(reference, Grant(signatory.Id), colleague.Id)).Error);
        // Posting the form directly gets the same answer, and nothing is saved.
        var colleagueClient = await portal.CreateClientForAsync(colleague);
        await colleagueClient.CompleteGridAsync(reference);
        var page = await Html.ParseAsync(await colleagueClient.SubmitPairsAsync($"/instruction/{reference}/decision",
            [new("Outcome", "Grant"), new("Reasons", "Considérant le bénéfice."), new("SignatoryId", signatory.Id.ToString())], tokenPage: $"/instruction/{reference}"));
        Assert.StartsWith("Seul l'évaluateur qui détient la demande", page.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.False(await InDatabaseAsync(db => db.Proposals.AnyAsync(p => p.ApplicationId == id)));

        // The holder and a senior reviewer may.
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(signatory.Id), holder.Id)).Error);
        var senior = await portal.CreateUserAsync(Roles.SeniorReviewer);
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(signatory.Id), senior.Id, revision: 1)).Error);
        Assert.Equal(senior.Id, await InDatabaseAsync(db => db.Proposals.Where(p => p.ApplicationId == id).Select(p => p.ProposedByUserId).SingleAsync()));
    }

    [Fact]
    public async Task Proposals_AreRefused_WithoutReasons_ForAWrongSignatory_OrWhenTheActNoLongerApplies()
    {
        var (reference, id, _, holder, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        foreach (var reasons in new[] { null, "", "   " })
        {
            Assert.Equal(ProposalError.ReasonsRequired, (await ProposeAsync(reference, Grant(signatory.Id) with { Reasons = reasons }, holder.Id)).Error);
        }

        Assert.Equal(ProposalError.NotASignatory, (await ProposeAsync(reference, Grant(holder.Id), holder.Id)).Error);
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(signatory.Id), holder.Id)).Error);
        var key = await portal.EnrolAuthenticatorAsync(signatory);
        Assert.Equal(ProposalError.None, (await SignAsync(reference, signatory.Id, Totp.Code(key), 1)).Error);
        // Decided: a second decision is not applicable, nor is a grant while information is requested.
        Assert.Equal(ProposalError.NotApplicable, (await ProposeAsync(reference, Grant(signatory.Id) with { Outcome = DecisionOutcome.Refuse }, holder.Id)).Error);
        Assert.Equal(1, await InDatabaseAsync(db => db.Decisions.CountAsync(d => d.ApplicationId == id)));

        var (other, otherId, _, otherHolder, _) = await UnderReviewAsync();
        await InDatabaseAsync(db => db.Applications.Where(a => a.Id == otherId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ApplicationStatus.InformationRequested)));
        Assert.Equal(ProposalError.NotApplicable, (await ProposeAsync(other, Grant(signatory.Id), otherHolder.Id)).Error);
        Assert.Equal(ProposalError.None, (await ProposeAsync(other, Grant(signatory.Id) with { Outcome = DecisionOutcome.CloseWithoutDecision }, otherHolder.Id)).Error);
        await InDatabaseAsync(db => db.Applications.Where(a => a.Id == otherId).ExecuteUpdateAsync(a => a.SetProperty(x => x.Status, ApplicationStatus.WithdrawnByApplicant)));
        Assert.Equal(ProposalError.NotApplicable, (await SignAsync(other, signatory.Id, Totp.Code(key), 1)).Error);
        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == otherId)));
    }

    [Fact]
    public async Task NobodySignsTheirOwnProposal_EvenHoldingBothRoles()
    {
        var (reference, id, _, holder, _) = await UnderReviewAsync();
        await InScopeAsync(async s =>
        {
            var users = s.GetRequiredService<UserManager<PortalUser>>();
            return await users.AddToRoleAsync((await users.FindByIdAsync(holder.Id.ToString()))!, Roles.Signatory);
        });
        var other = await portal.CreateUserAsync(Roles.Signatory);
        Assert.Equal(ProposalError.OwnProposal, (await ProposeAsync(reference, Grant(holder.Id), holder.Id)).Error);
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(other.Id), holder.Id)).Error);
        var key = await portal.EnrolAuthenticatorAsync(holder with { Role = Roles.Signatory });
        Assert.Equal(ProposalError.OwnProposal, (await SignAsync(reference, holder.Id, Totp.Code(key), 1)).Error);
        // Through the page too: the signature form is not offered to its author.
        var page = await Html.ParseAsync(await (await portal.CreateClientForAsync(holder)).GetAsync($"/instruction/{reference}/signature"));
        Assert.NotNull(page.QuerySelector("#propre-proposition"));
        Assert.Null(page.QuerySelector("form#signer"));
        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == id)));
    }

    [Fact]
    public async Task Signing_NeedsAValidFreshCode_WhenTwoFactorIsEnforced()
    {
        var (reference, id, _, holder, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(signatory.Id), holder.Id)).Error);
        // No authenticator app and no demo bypass: refused, and the page says to set one up instead of offering to sign.
        Assert.Equal(ProposalError.SecondFactorRequired, (await SignAsync(reference, signatory.Id, null, 1)).Error);
        var withoutApp = await Html.ParseAsync(await (await portal.CreateClientForAsync(signatory)).GetAsync($"/instruction/{reference}/signature"));
        Assert.NotNull(withoutApp.QuerySelector("#application-requise a[href^='/compte/double-authentification']"));
        Assert.Null(withoutApp.QuerySelector("form#signer button[type=submit]"));
        var key = await portal.EnrolAuthenticatorAsync(signatory);
        Assert.Equal(ProposalError.InvalidCode, (await SignAsync(reference, signatory.Id, null, 1)).Error);
        // Even the demo bypass does not skip the code of a signatory who has an app.
        Assert.Equal(ProposalError.InvalidCode, (await SignAsync(reference, signatory.Id, "000000", 1, allowWithoutSecondFactor: true)).Error);
        var stale = Totp.Code(key, DateTimeOffset.UtcNow.AddMinutes(-10));
        Assert.Equal(ProposalError.InvalidCode, (await SignAsync(reference, signatory.Id, stale, 1)).Error);

        // Through the page, a wrong code is named and nothing is issued; the signatory's session (with its second factor) is not enough.
        var client = await portal.CreateClientForAsync(signatory);
        var form = await Html.ParseAsync(await client.GetAsync($"/instruction/{reference}/signature"));
        var refused = await Html.ParseAsync(await client.SubmitAsync(form, $"/instruction/{reference}/signature", new Dictionary<string, string> { ["Code"] = "123 456" }, "form#signer"));
        Assert.Equal(["Code de l'application d'authentification : saisissez les 6 chiffres affichés à l'instant par votre application."], refused.Texts("#resume-erreurs li"));
        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == id)));

        Assert.Equal(ProposalError.None, (await SignAsync(reference, signatory.Id, Totp.Code(key), 1)).Error);
    }

    [Fact]
    public async Task TwoSignatoriesAtOnce_OneSignature()
    {
        var (reference, id, _, holder, _) = await UnderReviewAsync();
        var first = await portal.CreateUserAsync(Roles.Signatory);
        var second = await portal.CreateUserAsync(Roles.Signatory);
        var (firstKey, secondKey) = (await portal.EnrolAuthenticatorAsync(first), await portal.EnrolAuthenticatorAsync(second));
        Assert.Equal(ProposalError.None, (await ProposeAsync(reference, Grant(first.Id), holder.Id)).Error);
        var results = await Task.WhenAll(SignAsync(reference, first.Id, Totp.Code(firstKey), 1), SignAsync(reference, second.Id, Totp.Code(secondKey), 1));
        Assert.Single(results, r => r.Error == ProposalError.None);
        Assert.Single(results, r => r.Error == ProposalError.NothingToSign);
        Assert.Equal(1, await InDatabaseAsync(db => db.Decisions.CountAsync(d => d.ApplicationId == id)));
        Assert.Equal(1, await InDatabaseAsync(db => db.IssuedDocuments.CountAsync(d => d.ApplicationId == id && d.Kind == IssuedDocumentKind.DecisionLetter)));
    }

    [Fact]
    public async Task AProposalChangedAfterTheSignatoryOpenedIt_IsNotSigned_AndTheSignatoryReadsTheNewText()
    {
        var (reference, id, reviewer, _, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var key = await portal.EnrolAuthenticatorAsync(signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice attendu.", ["SignatoryId"] = signatory.Id.ToString() });
        var signatoryClient = await portal.CreateClientForAsync(signatory);
        var opened = await Html.ParseAsync(await signatoryClient.GetAsync($"/instruction/{reference}/signature"));

        // Meanwhile the reviewer turns it into a refusal.
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'insuffisance des données.", ["SignatoryId"] = signatory.Id.ToString() });
        var told = await Html.ParseAsync(await signatoryClient.SubmitAsync(opened, $"/instruction/{reference}/signature", new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "form#signer"));
        Assert.StartsWith("La proposition a été modifiée depuis que vous l'avez ouverte : rien n'a été signé.", told.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Considérant l'insuffisance des données.", told.Text("#proposition-motifs"));
        Assert.False(await InDatabaseAsync(db => db.Decisions.AnyAsync(d => d.ApplicationId == id)));

        // Signing the page now shown signs what it shows.
        await signatoryClient.SubmitAsync(told, $"/instruction/{reference}/signature", new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "form#signer");
        Assert.Equal(DecisionOutcome.Refuse, await InDatabaseAsync(db => db.Decisions.Where(d => d.ApplicationId == id).Select(d => d.Outcome).SingleAsync()));
    }

    [Fact]
    public async Task AReturnWhileTheReviewerEdits_KeepsTheReviewersText_AndTheCommentIsMandatory()
    {
        var (reference, id, reviewer, _, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice attendu.", ["SignatoryId"] = signatory.Id.ToString() });
        var editing = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        Assert.Equal("Considérant le bénéfice attendu.", editing.Text("#Reasons"));

        var signatoryClient = await portal.CreateClientForAsync(signatory);
        var signaturePage = await Html.ParseAsync(await signatoryClient.GetAsync($"/instruction/{reference}/signature"));
        var noComment = await Html.ParseAsync(await signatoryClient.SubmitAsync(signaturePage, $"/instruction/{reference}/signature", new Dictionary<string, string>(), "form#renvoyer"));
        Assert.Equal(["Commentaire : il est obligatoire pour renvoyer une proposition. Dites ce qui doit changer."], noComment.Texts("#resume-erreurs li"));
        var returned = await signatoryClient.SubmitAsync(signaturePage, $"/instruction/{reference}/signature", new Dictionary<string, string> { ["Comment"] = "Ajoutez le nombre maximal de patients." }, "form#renvoyer");
        Assert.Equal(HttpStatusCode.Redirect, returned.StatusCode);

        await reviewer.CompleteGridAsync(reference);
        var refused = await Html.ParseAsync(await reviewer.SubmitAsync(editing, $"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice attendu, revu.", ["SignatoryId"] = signatory.Id.ToString() }));
        Assert.StartsWith("La proposition a changé depuis l'ouverture de ce formulaire", refused.Text("#resume-erreurs li"), StringComparison.Ordinal);
        Assert.Equal("Considérant le bénéfice attendu, revu.", refused.Text("#Reasons"));
        Assert.Equal(ProposalState.Returned, await InDatabaseAsync(db => db.Proposals.Where(p => p.ApplicationId == id).Select(p => p.State).SingleAsync()));

        // Reopened, the form shows the comment beside the reviewer's text; sent again, it waits for the signatory.
        var reopened = await Html.ParseAsync(await reviewer.GetAsync($"/instruction/{reference}/decision"));
        Assert.Contains("Ajoutez le nombre maximal de patients.", reopened.Text("#proposition-renvoyee"), StringComparison.Ordinal);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync(reopened, $"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Grant", ["Reasons"] = "Considérant le bénéfice attendu, revu.", ["Conditions.MaxPatients"] = "1", ["SignatoryId"] = signatory.Id.ToString() });
        Assert.Equal(ProposalState.Pending, await InDatabaseAsync(db => db.Proposals.Where(p => p.ApplicationId == id).Select(p => p.State).SingleAsync()));
        Assert.True(await InDatabaseAsync(db => db.OutboxMessages.AnyAsync(m => m.ApplicationId == id && m.Purpose == "ProposalReturned")));
    }

    [Fact]
    public async Task TheListToSign_PutsVitalEmergenciesOnTop_ThenTheOldest_AndNeverTheSignatorysOwn()
    {
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        var (urgent, _, _, urgentHolder, _) = await UnderReviewAsync();
        Assert.Equal(ProposalError.None, (await ProposeAsync(urgent, Grant(signatory.Id), urgentHolder.Id)).Error);

        var (vital, _) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer), Filing.PatientWithUrgency("VitalEmergency"));
        var vitalHolder = await portal.CreateUserAsync(Roles.Reviewer);
        var holderClient = await portal.CreateClientForAsync(vitalHolder);
        await Filing.TakeAsync(holderClient, vital);
        var other = await portal.CreateUserAsync(Roles.Signatory);
        Assert.Equal(ProposalError.None, (await ProposeAsync(vital, Grant(other.Id), vitalHolder.Id)).Error);

        var list = await Html.ParseAsync(await (await portal.CreateClientForAsync(signatory)).GetAsync("/instruction/signatures"));
        var rows = list.QuerySelectorAll("#a-signer tbody tr").Select(r => r.QuerySelector("a")!.TextContent.Trim()).ToList();
        Assert.True(rows.IndexOf(vital) >= 0 && rows.IndexOf(vital) < rows.IndexOf(urgent), $"order: {string.Join(", ", rows)}");
        Assert.Equal("Vous est adressée", list.QuerySelectorAll("#a-signer tbody tr").Single(r => r.TextContent.Contains(urgent, StringComparison.Ordinal)).QuerySelector(".fr-badge--new")!.TextContent.Trim());

        // Nobody else but signatories opens the list.
        Assert.Equal(HttpStatusCode.NotFound, (await holderClient.GetAsync("/instruction/signatures")).StatusCode);
    }

    [Fact]
    public async Task DecisionForm_WithMissingAnswers_NamesThem_AndKeepsTheRest()
    {
        var (reference, _, reviewer, _, _) = await UnderReviewAsync();
        await reviewer.CompleteGridAsync(reference);
        var page = await Html.ParseAsync(await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Conditions.Restrictions"] = "Usage hospitalier uniquement.",
        }));
        Assert.Equal(
        [
            "Décision : choisissez accorder, refuser ou clore sans décision.",
            "Motifs : ils sont obligatoires pour toute décision. Rédigez les considérants.",
            "Signataire : choisissez le signataire de la décision.",
        ], page.Texts("#resume-erreurs li"));
        Assert.Equal("Usage hospitalier uniquement.", page.Text("#Conditions_Restrictions"));
    }

    [Fact]
    public async Task SignatureForm_WithoutACode_IsRefusedBesideTheField_AndNothingIsIssued()
    {
        var (reference, id, reviewer, _, _) = await UnderReviewAsync();
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await portal.EnrolAuthenticatorAsync(signatory);
        await reviewer.CompleteGridAsync(reference);
        Assert.Equal(HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
            { ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de données de sécurité.", ["SignatoryId"] = signatory.Id.ToString() })).StatusCode);

        var client = await portal.CreateClientForAsync(signatory);
        var refused = await client.SubmitAsync($"/instruction/{reference}/signature", new Dictionary<string, string> { ["Code"] = "" }, "form#signer");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var page = await Html.ParseAsync(refused);
        Assert.Equal("Code de l'application d'authentification : saisissez les 6 chiffres affichés à l'instant par votre application.", page.Text("#Code-messages"));
        Assert.False(await InScopeAsync(s => s.GetRequiredService<Derogation.Core.Data.DerogationDbContext>().Decisions.AnyAsync(d => d.ApplicationId == id)));
    }
}
