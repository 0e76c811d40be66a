using System.Net;
using Derogation.Core.Organisations;
using Derogation.Tests.Applications;
using Derogation.Tests.Infrastructure;
using Derogation.Tests.Review;
using Microsoft.AspNetCore.Hosting;

namespace Derogation.Tests.Letters;

/// <summary>With Letters:CopiesWithoutAccount = SingleUseLink, those without an account get a link that opens the letter once.</summary>
public sealed class SingleUseLinkTests(SingleUseLinkTests.LinkPortal portal) : IClassFixture<SingleUseLinkTests.LinkPortal>
{
    public sealed class LinkPortal : PortalFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Letters:CopiesWithoutAccount", "SingleUseLink");
        }
    }

    [Fact]
    public async Task Prescriber_GetsALinkInsteadOfAnAttachment_ThatOpensTheLetterOnce()
    {
        var manufacturer = await portal.CreateClientAsAsync(Roles.Manufacturer);
        var (reference, _) = await Filing.SubmitIndividualAsync(manufacturer);
        var reviewer = await portal.CreateClientAsAsync(Roles.Reviewer);
        var queue = await Html.ParseAsync(await reviewer.GetAsync($"/instruction?recherche={reference}"));
        await reviewer.SubmitAsync(queue, "/instruction", new Dictionary<string, string>(), $"form[action*='reference={reference}']");
        var signatory = await portal.CreateUserAsync(Roles.Signatory);
        await reviewer.CompleteGridAsync(reference);
        await reviewer.SubmitAsync($"/instruction/{reference}/decision", new Dictionary<string, string>
        {
            ["Outcome"] = "Refuse", ["Reasons"] = "Considérant l'absence de données cliniques.", ["SignatoryId"] = signatory.Id.ToString(),
        });
        await portal.SignAsync(reference, signatory);

        var copy = await portal.WaitForMailAsync(m => m.To.Contains("c.fontaine@chu.example", StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal));
        Assert.Empty(copy.Attachments);
        var link = copy.Link("/lettre/");
        var anonymous = portal.CreateAnonymousClient();

        var first = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("application/pdf", first.Content.Headers.ContentType!.MediaType);
        Assert.Contains($"Réf. : {reference}", await PdfText.ReadAsync(await first.Content.ReadAsByteArrayAsync()), StringComparison.Ordinal);

        var second = await anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.StartsWith("Ce lien n'ouvre plus la lettre", (await Html.ParseAsync(second)).Text("#lien-epuise"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/lettre/inconnu-0123456789")).StatusCode);

        // The director's link is their own, and still unused.
        var director = await portal.WaitForMailAsync(m => m.To.Contains("direction@chu.example", StringComparison.OrdinalIgnoreCase) && m.Subject.Contains(reference, StringComparison.Ordinal));
        Assert.NotEqual(link, director.Link("/lettre/"));
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync(director.Link("/lettre/").PathAndQuery)).StatusCode);
    }
}
