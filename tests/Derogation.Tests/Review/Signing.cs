using Derogation.Core.Accounts;
using Derogation.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Review;

/// <summary>The signatory's side of a decision, as a signatory does it: an authenticator app, the signature page, a code.</summary>
public static class Signing
{
    /// <summary>Sets up an authenticator app for <paramref name="user"/> (as the enrolment page does) and returns its key.</summary>
    public static async Task<string> EnrolAuthenticatorAsync(this PortalFactory portal, TestUser user)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var account = (await users.FindByIdAsync(user.Id.ToString()))!;
        var key = await users.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(account);
            key = await users.GetAuthenticatorKeyAsync(account);
        }

        await users.SetTwoFactorEnabledAsync(account, true);
        return key!;
    }

    /// <summary>Signs the proposal waiting on <paramref name="reference"/> through the signature page, with a code computed as the app would.</summary>
    public static async Task<HttpResponseMessage> SignAsync(this PortalFactory portal, string reference, TestUser signatory)
    {
        var key = await portal.EnrolAuthenticatorAsync(signatory);
        var client = await portal.CreateClientForAsync(signatory);
        var page = await Html.ParseAsync(await client.GetAsync($"/instruction/{reference}/signature"));
        var response = await client.SubmitAsync(page, $"/instruction/{reference}/signature", new Dictionary<string, string> { ["Code"] = Totp.Code(key) }, "form#signer");
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            var refused = await Html.ParseAsync(response);
            throw new Xunit.Sdk.XunitException($"Signature refused: {string.Join(" | ", refused.Texts("#resume-erreurs li"))}");
        }

        return response;
    }

    /// <summary>
    /// A reviewer takes <paramref name="reference"/>, proposes to grant it to a new signatory, who signs: the usual way
    /// to a granted derogation. Returns the reviewer's client and the signatory, for what follows.
    /// </summary>
    /// <param name="conditions">Fields of the decision form's conditions ("Conditions.ValidUntil" = "2027-12-31"…): a global grant needs an end date.</param>
    public static async Task<(HttpClient Reviewer, TestUser Signatory)> GrantAsync(this PortalFactory portal, string reference, IDictionary<string, string>? conditions = null)
    {
        var reviewer = await portal.CreateClientAsAsync(Derogation.Core.Organisations.Roles.Reviewer);
        await Applications.Filing.TakeAsync(reviewer, reference);
        await reviewer.CompleteGridAsync(reference);
        var signatory = await portal.CreateUserAsync(Derogation.Core.Organisations.Roles.Signatory);
        var form = new Dictionary<string, string> { ["Outcome"] = "Grant", ["Reasons"] = "Considérant l'absence d'alternative.", ["SignatoryId"] = signatory.Id.ToString() };
        foreach (var (field, value) in conditions ?? new Dictionary<string, string>())
        {
            form[field] = value;
        }

        await reviewer.CompleteGridAsync(reference);
        Xunit.Assert.Equal(System.Net.HttpStatusCode.Redirect, (await reviewer.SubmitAsync($"/instruction/{reference}/decision", form)).StatusCode);
        await portal.SignAsync(reference, signatory);
        return (reviewer, signatory);
    }
}
