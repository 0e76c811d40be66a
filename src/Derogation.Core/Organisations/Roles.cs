namespace Derogation.Core.Organisations;

/// <summary>The portal's roles (DOMAIN.md §2). Healthcare professionals have none: they never file.</summary>
public static class Roles
{
    public const string Manufacturer = "Manufacturer";
    public const string Consultant = "Consultant";
    public const string Reviewer = "Reviewer";
    public const string Signatory = "Signatory";
    public const string Administrator = "Administrator";

    public static IReadOnlyList<string> All { get; } = [Manufacturer, Consultant, Reviewer, Signatory, Administrator];
}
