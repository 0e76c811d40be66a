namespace Derogation.Web;

/// <summary>Marker for the portal's shared strings: Resources/SharedResource.resx (French) and .en.resx (English).</summary>
public sealed class SharedResource;
