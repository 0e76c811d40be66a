using System.Globalization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Derogation.Tests.Infrastructure;

/// <summary>Core's own strings (Resources/CoreText), for rule tests that run without a host.</summary>
public static class Strings
{
    private static readonly IStringLocalizer Localizer = new ResourceManagerStringLocalizerFactory(
            Options.Create(new LocalizationOptions { ResourcesPath = "Resources" }), NullLoggerFactory.Instance)
        .Create(typeof(Derogation.Core.CoreText));

    /// <summary>The localizer, with the current UI culture set to <paramref name="language"/> for the calling test.</summary>
    public static IStringLocalizer In(string language)
    {
        CultureInfo.CurrentUICulture = new CultureInfo(language == "en" ? "en-GB" : "fr-FR");
        return Localizer;
    }
}
