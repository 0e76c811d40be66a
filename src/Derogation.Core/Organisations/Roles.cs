namespace Derogation.Core.Organisations;

/// <summary>The portal's roles (docs/domain.md §2). Healthcare professionals have none: they never file.</summary>
public static class Roles
{
    public const string Manufacturer = "Manufacturer";
    public const string Consultant = "Consultant";
    public const string Reviewer = "Reviewer";
    /// <summary>A reviewer who also shares out the work: assigns and reassigns applications.</summary>
    public const string SeniorReviewer = "SeniorReviewer";
    public const string Signatory = "Signatory";
    public const string Administrator = "Administrator";
    /// <summary>An ANSM user outside the review team (another department) asked for opinions: sees only the cases asked about.</summary>
    public const string Expert = "Expert";

    public static IReadOnlyList<string> All { get; } = [Manufacturer, Consultant, Reviewer, SeniorReviewer, Signatory, Administrator, Expert];

    /// <summary>ANSM users a reviewer may ask an opinion of.</summary>
    public static IReadOnlyList<string> Consultable { get; } = [Reviewer, SeniorReviewer, Signatory, Expert];

    /// <summary>The roles that review applications: take them, request information, decide.</summary>
    public static IReadOnlyList<string> Reviewing { get; } = [Reviewer, SeniorReviewer];
}
