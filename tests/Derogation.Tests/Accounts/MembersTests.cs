using System.Net;
using Derogation.Core.Audit;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

public sealed class MembersTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Administrator_InvitesAColleague_WhoJoinsByTheEmailedLink_AndCanBeRemoved()
    {
        var administrator = await portal.CreateUserAsync(Roles.Manufacturer);
        var adminClient = await portal.CreateClientForAsync(administrator);
        var colleague = $"collegue-{Guid.NewGuid():N}@medtech.example";

        var invited = await adminClient.SubmitAsync("/organisation/membres", new Dictionary<string, string> { ["Input.Email"] = colleague }, "form[action*='handler=Invite']");
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);
        var members = await Html.ParseAsync(await adminClient.GetAsync("/organisation/membres"));
        Assert.Equal("L'invitation a été envoyée.", members.Text(".fr-alert--success"));
        Assert.Contains(members.Texts("main li"), t => t.StartsWith(colleague, StringComparison.Ordinal));

        var mail = await portal.WaitForMailAsync(m => m.To.Contains(colleague, StringComparison.Ordinal));
        var colleagueClient = portal.CreateAnonymousClient();
        var invitationPage = mail.Link("/compte/invitation").PathAndQuery;
        var weak = await Html.ParseAsync(await colleagueClient.SubmitAsync(invitationPage, new Dictionary<string, string>
        {
            ["Input.FullName"] = "Marie Curie", ["Input.Password"] = "abc", ["Input.ConfirmPassword"] = "abc",
        }));
        Assert.StartsWith("Le mot de passe est trop faible", weak.Text("#Input_Password-messages"));
        Assert.Equal("Marie Curie", weak.QuerySelector("#Input_FullName")!.GetAttribute("value"));

        var joined = await colleagueClient.SubmitAsync(invitationPage, new Dictionary<string, string>
        {
            ["Input.FullName"] = "Marie Curie", ["Input.Password"] = "Radium-Polonium-1898", ["Input.ConfirmPassword"] = "Radium-Polonium-1898",
        });
        Assert.Equal("/", joined.Headers.Location!.OriginalString);
        // A member, not an administrator: the mandates are visible, the members page is not.
        Assert.Equal(HttpStatusCode.OK, (await colleagueClient.GetAsync("/mandats")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await colleagueClient.GetAsync("/organisation/membres")).StatusCode);
        // The link works once.
        var reused = await Html.ParseAsync(await portal.CreateAnonymousClient().GetAsync(invitationPage));
        Assert.StartsWith("Cette invitation n'est pas valide", reused.Text(".fr-alert--error"));

        var memberRow = (await Html.ParseAsync(await adminClient.GetAsync("/organisation/membres"))).QuerySelectorAll("tbody tr")
            .Single(r => r.TextContent.Contains("Marie Curie", StringComparison.Ordinal));
        var removePath = memberRow.QuerySelector("a[href$='/retirer']")!.GetAttribute("href")!;
        var confirmation = await Html.ParseAsync(await adminClient.GetAsync(removePath));
        Assert.Contains("Marie Curie", confirmation.Text("main .fr-text--lead"));
        await adminClient.SubmitAsync(confirmation, removePath, new Dictionary<string, string>());

        var after = await Html.ParseAsync(await adminClient.GetAsync("/organisation/membres"));
        Assert.Equal("Marie Curie a été retiré(e) de l'organisation.", after.Text(".fr-alert--success"));
        Assert.DoesNotContain(after.Texts("tbody td"), t => t == "Marie Curie");
        // The removed member's session no longer opens anything.
        Assert.NotEqual(HttpStatusCode.OK, (await colleagueClient.GetAsync("/mandats")).StatusCode);

        await using var scope = portal.Services.CreateAsyncScope();
        var actions = await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().AuditEvents
            .Where(e => e.SubjectId == administrator.OrganisationId.ToString()).Select(e => e.Action).ToListAsync();
        Assert.Contains(AuditActions.MemberInvited, actions);
        Assert.Contains(AuditActions.MemberJoined, actions);
        Assert.Contains(AuditActions.MemberRemoved, actions);
    }

    [Fact]
    public async Task Administrator_CannotRemoveSomeoneFromAnotherOrganisation()
    {
        var administrator = await portal.CreateUserAsync(Roles.Manufacturer);
        var stranger = await portal.CreateUserAsync(Roles.Manufacturer);
        var response = await (await portal.CreateClientForAsync(administrator)).GetAsync($"/organisation/membres/{stranger.Id}/retirer");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Invite_AnAddressThatHasAnAccount_IsRefused()
    {
        var administrator = await portal.CreateUserAsync(Roles.Consultant);
        var existing = await portal.CreateUserAsync(Roles.Manufacturer);
        var page = await Html.ParseAsync(await (await portal.CreateClientForAsync(administrator)).SubmitAsync("/organisation/membres",
            new Dictionary<string, string> { ["Input.Email"] = existing.Email }, "form[action*='handler=Invite']"));
        Assert.Equal("Cette adresse a déjà un compte sur le portail : elle ne peut pas être invitée.", page.Text("#Input_Email-messages"));
    }
}
