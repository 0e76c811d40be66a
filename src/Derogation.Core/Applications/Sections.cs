namespace Derogation.Core.Applications;

/// <summary>
/// Writing one section of the answers, with the rules that hold whatever the client sends — the wizard's pages and
/// the API write through here: someone filing under a mandate keeps the capacity established by the server; "no
/// earlier derogation" keeps nothing else; a medical device has no analytical performance.
/// </summary>
public static class Sections
{
    /// <summary>The section type each step fills (the documents step has none: files are uploaded one by one).</summary>
    public static Type? TypeOf(string stepName) => stepName switch
    {
        StepNames.Parties => typeof(PartiesAnswers),
        StepNames.Device => typeof(DeviceAnswers),
        StepNames.NonCompliance => typeof(NonComplianceAnswers),
        StepNames.Patient => typeof(PatientAnswers),
        StepNames.HealthProfessionals => typeof(HealthProfessionalsAnswers),
        StepNames.GlobalScope => typeof(GlobalScopeAnswers),
        StepNames.EarlierDerogations => typeof(EarlierDerogationsAnswers),
        StepNames.Safety => typeof(SafetyAnswers),
        StepNames.Declarations => typeof(DeclarationsAnswers),
        _ => null,
    };

    public static void Write(ApplicationAnswers answers, string stepName, object section)
    {
        switch (section)
        {
            case PartiesAnswers parties when stepName == StepNames.Parties:
                if (answers.Parties.FiledAs is FiledAs.Consultant or FiledAs.Importer or FiledAs.Distributor)
                {
                    parties.FiledAs = answers.Parties.FiledAs;
                }

                answers.Parties = parties;
                break;
            case DeviceAnswers device when stepName == StepNames.Device:
                answers.Device = device;
                break;
            case NonComplianceAnswers nonCompliance when stepName == StepNames.NonCompliance:
                answers.NonCompliance = nonCompliance;
                break;
            case PatientAnswers patient when stepName == StepNames.Patient:
                answers.Patient = patient;
                break;
            case HealthProfessionalsAnswers professionals when stepName == StepNames.HealthProfessionals:
                answers.HealthProfessionals = professionals;
                break;
            case GlobalScopeAnswers scope when stepName == StepNames.GlobalScope:
                answers.GlobalScope = scope;
                break;
            case EarlierDerogationsAnswers earlier when stepName == StepNames.EarlierDerogations:
                answers.EarlierDerogations = earlier.HasEarlierDerogations == true
                    ? earlier
                    : new EarlierDerogationsAnswers { HasEarlierDerogations = earlier.HasEarlierDerogations }; // "none": nothing else is kept
                break;
            case SafetyAnswers safety when stepName == StepNames.Safety:
                if (answers.Parties.LegalBasis == LegalBasis.MedicalDevice)
                {
                    safety.AnalyticalPerformance = null;
                }

                answers.Safety = safety;
                break;
            case DeclarationsAnswers declarations when stepName == StepNames.Declarations:
                answers.Declarations = declarations;
                break;
            default:
                throw new ArgumentException($"No section {section.GetType().Name} for step {stepName}.", nameof(section));
        }
    }
}
