using System.Globalization;
using Derogation.Web;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Derogation.Tests.Infrastructure;

/// <summary>The portal's own strings (the Web project's resources), for rule tests that run without a host.</summary>
public static class Strings
{
    private static readonly IStringLocalizer Localizer = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
        .Create(typeof(SharedResource));

    /// <summary>The localizer, with the current UI culture set to <paramref name="language"/> for the calling test.</summary>
    public static IStringLocalizer In(string language)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(language == "en" ? "en-GB" : "fr-FR");
        return Localizer;
    }
}
