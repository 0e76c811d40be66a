using Derogation.Core;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Localization;

/// <summary>
/// The pages' strings: the web project's own (Resources/SharedResource), then Core's (field names, rule messages,
/// document types — <see cref="CoreText"/>), so that a label Core's rules cite is written once, in Core.
/// </summary>
public sealed class PortalStrings(IStringLocalizerFactory factory) : IStringLocalizer<SharedResource>
{
    private readonly IStringLocalizer _web = factory.Create(typeof(SharedResource));
    private readonly IStringLocalizer _core = factory.Create(typeof(CoreText));

    public LocalizedString this[string name] => _web[name] is { ResourceNotFound: false } found ? found : _core[name];

    public LocalizedString this[string name, params object[] arguments] =>
        _web[name, arguments] is { ResourceNotFound: false } found ? found : _core[name, arguments];

    public IEnumerable<LocalizedString> GetAllStrings(bool includeParentCultures) =>
        _web.GetAllStrings(includeParentCultures).Concat(_core.GetAllStrings(includeParentCultures));
}
