namespace Derogation.Core.Applications;

/// <summary>
/// The questions asked before a wizard opens (the notice to applicants: a derogation is exceptional; it replaces
/// neither a clinical investigation or a performance study, nor the routes of a CE-marked device used off-label or of
/// a custom-made device). Kept with the draft and shown to the reviewer.
/// </summary>
public sealed class EligibilityAnswers
{
    /// <summary>Is the device CE-marked for the use intended?</summary>
    public bool? CeMarkedForThisUse { get; set; }

    /// <summary>Is it a custom-made device (made for one named patient on a prescription)?</summary>
    public bool? CustomMade { get; set; }

    /// <summary>Could the patient(s) join an ongoing clinical investigation or performance study of the device?</summary>
    public bool? StudyAvailable { get; set; }
}

public enum EligibilityOutcome
{
    /// <summary>A derogation is the route: the wizard opens.</summary>
    Derogation,
    /// <summary>Not every question answered.</summary>
    Incomplete,
    /// <summary>A CE-marked device used for this purpose needs no derogation (off-label use is the prescriber's responsibility).</summary>
    CeMarked,
    /// <summary>A custom-made device follows its own route (MDR Art. 52(8), Annex XIII).</summary>
    CustomMade,
    /// <summary>An ongoing study comes first: a derogation does not replace it.</summary>
    Study,
}

public static class Eligibility
{
    public static EligibilityOutcome Assess(EligibilityAnswers answers) => answers switch
    {
        { CeMarkedForThisUse: null } or { CustomMade: null } or { StudyAvailable: null } => EligibilityOutcome.Incomplete,
        { CeMarkedForThisUse: true } => EligibilityOutcome.CeMarked,
        { CustomMade: true } => EligibilityOutcome.CustomMade,
        { StudyAvailable: true } => EligibilityOutcome.Study,
        _ => EligibilityOutcome.Derogation,
    };
}
