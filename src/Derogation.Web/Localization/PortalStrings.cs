using Derogation.Core;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Localization;

/// <summary>
/// The pages' strings: the web project's own (Resources/SharedResource), then Core's (field names, rule messages,
/// document types — <see cref="CoreText"/>), so that a label Core's rules cite is written once, in Core.
/// </summary>
public sealed class PortalStrings(IStringLocalizerFactory factory) : IStringLocalizer<SharedResource>
{
    // A page asks for a few hundred strings; ResourceManager looks each up through the culture's parents every time
    // (5 % of a queue page's CPU, docs/performance.md). The resources do not change while the portal runs, so each
    // (culture, name) is looked up once. Bounded: names come from the code, but a cap keeps a mistake from growing it.
    private const int MostCached = 50_000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Culture, string Name), LocalizedString> _found = new();
    private readonly IStringLocalizer _web = factory.Create(typeof(SharedResource));
    private readonly IStringLocalizer _core = factory.Create(typeof(CoreText));

    public LocalizedString this[string name]
    {
        get
        {
            var key = (System.Globalization.CultureInfo.CurrentUICulture.Name, name);
            if (_found.TryGetValue(key, out var cached))
            {
                return cached;
            }

            var found = _web[name] is { ResourceNotFound: false } web ? web : _core[name];
            if (_found.Count < MostCached)
            {
                _found.TryAdd(key, found);
            }

            return found;
        }
    }

    public LocalizedString this[string name, params object[] arguments]
    {
        get
        {
            // Formatted as ResourceManagerStringLocalizer does: the current culture's numbers and dates.
            var format = this[name];
            return new LocalizedString(name, string.Format(System.Globalization.CultureInfo.CurrentCulture, format.Value, arguments), format.ResourceNotFound, format.SearchedLocation);
        }
    }

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        _web.GetAllStrings(includeParentCultures).Concat(_core.GetAllStrings(includeParentCultures));
}
