using System.Net;
using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Accounts;

public sealed class AnsmAccountsTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task Administrator_CreatesAReviewerAccount_WhoMustSetUpTheSecondFactorFirst()
    {
        var admin = await portal.CreateClientAsAsync(Roles.Administrator);

        var refused = await Html.ParseAsync(await admin.SubmitAsync("/admin/comptes-ansm", new Dictionary<string, string> { ["Input.Email"] = "pas-une-adresse" }));
        Assert.Equal(
            ["L'adresse e-mail n'est pas valide : saisissez-la au format nom@domaine.fr.", "Choisissez le rôle : évaluateur, signataire ou administrateur."],
            refused.Texts("#resume-erreurs li"));
        Assert.Equal("pas-une-adresse", refused.QuerySelector("#Input_Email")!.GetAttribute("value"));

        var email = $"evaluatrice-{Guid.NewGuid():N}@ansm.example";
        var invited = await admin.SubmitAsync("/admin/comptes-ansm", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Role"] = Roles.Reviewer });
        Assert.Equal(HttpStatusCode.Redirect, invited.StatusCode);

        var mail = await portal.WaitForMailAsync(m => m.To.Contains(email, StringComparison.Ordinal));
        var reviewer = portal.CreateAnonymousClient();
        var joined = await reviewer.SubmitAsync(mail.Link("/compte/invitation").PathAndQuery, new Dictionary<string, string>
        {
            ["Input.FullName"] = "Inès Évaluatrice", ["Input.Password"] = "Evaluation-Sure-2026", ["Input.ConfirmPassword"] = "Evaluation-Sure-2026",
        });
        Assert.Equal("/compte/double-authentification", joined.Headers.Location!.OriginalString);

        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var account = (await users.FindByEmailAsync(email))!;
        Assert.Equal(AccountService.AnsmOrganisationId, account.OrganisationId);
        Assert.Equal([Roles.Reviewer], await users.GetRolesAsync(account));
        Assert.False(account.TwoFactorEnabled);
    }

    [Fact]
    public async Task SelfRegistration_CannotCreateAnAnsmAccount()
    {
        var form = new Dictionary<string, string>
        {
            ["Input.Kind"] = "Ansm", ["Input.LegalName"] = "ANSM bis", ["Input.Address"] = "Saint-Denis", ["Input.Country"] = "France",
            ["Input.FullName"] = "Usurpateur", ["Input.Email"] = $"u-{Guid.NewGuid():N}@x.example",
            ["Input.Password"] = "Usurpation-2026-X", ["Input.ConfirmPassword"] = "Usurpation-2026-X",
        };
        var page = await Html.ParseAsync(await portal.CreateAnonymousClient().SubmitAsync("/compte/inscription", form));
        Assert.Equal("Choisissez le type de votre organisation : fabricant ou cabinet de conseil.", page.Text("#Input_Kind-messages"));

        await using var scope = portal.Services.CreateAsyncScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>().FindByEmailAsync(form["Input.Email"]));
        Assert.DoesNotContain(scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Organisations, o => o.LegalName == "ANSM bis");
    }
}
