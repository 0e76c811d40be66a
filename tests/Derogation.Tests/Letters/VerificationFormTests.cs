using System.Net;
using Derogation.Core.Data;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Derogation.Tests.Letters;

/// <summary>Checking a printed letter by typing its code: a form at /verification, and a code read however it is typed.</summary>
public sealed class VerificationFormTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Fact]
    public async Task WithoutACode_ThePageOffersTheForm_AndACodeTypedWithoutDashesOrInLowerCase_IsFound()
    {
        var (reference, id) = await Filing.SubmitIndividualAsync(await portal.CreateClientAsAsync(Roles.Manufacturer));
        await portal.GrantAsync(reference);
        string code;
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            code = (await scope.ServiceProvider.GetRequiredService<DerogationDbContext>().Decisions.AsNoTracking().SingleAsync(d => d.ApplicationId == id)).VerificationCode!;
        }

        var anonymous = portal.CreateAnonymousClient();
        var empty = await anonymous.GetAsync("/verification");
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var form = (await Html.ParseAsync(empty)).QuerySelector("form#verification-formulaire")!;
        Assert.Equal("/verification", form.GetAttribute("action"));
        Assert.Equal("get", form.GetAttribute("method"));
        Assert.NotNull(form.QuerySelector("input#code[name=code]"));
        Assert.Null((await Html.ParseAsync(await anonymous.GetAsync("/verification"))).QuerySelector("#verification-inconnue"));

        foreach (var typed in new[] { code.Replace("-", ""), code.ToLowerInvariant(), " " + code.Replace("-", " ") + " " })
        {
            var page = await Html.ParseAsync(await anonymous.GetAsync($"/verification?code={Uri.EscapeDataString(typed)}"));
            Assert.NotNull(page.QuerySelector("#verification-confirmee"));
            Assert.Contains(reference, page.Text("#verification"), StringComparison.Ordinal);
        }

        var unknown = await anonymous.GetAsync("/verification/ABCD-EFGH-JKLM-NPQR");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var unknownPage = await Html.ParseAsync(unknown);
        Assert.NotNull(unknownPage.QuerySelector("#verification-inconnue"));
        // The form to try again, the code typed kept, and submitting to the form's address, not the unknown code's.
        Assert.Equal("ABCD-EFGH-JKLM-NPQR", unknownPage.QuerySelector("input#code")!.GetAttribute("value"));
        Assert.Equal("/verification", unknownPage.QuerySelector("form#verification-formulaire")!.GetAttribute("action"));
    }
}
