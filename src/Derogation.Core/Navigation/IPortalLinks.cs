namespace Derogation.Core.Navigation;

/// <summary>
/// The absolute addresses of the portal's pages that e-mails and letters point to. Core knows no route and no host:
/// the web project implements this from its own routes and the configured public address (Portal:BaseUrl).
/// </summary>
public interface IPortalLinks
{
    /// <summary>The applicant's list of applications.</summary>
    string Applications();

    /// <summary>An application as its filer and manufacturer see it; <paramref name="section"/> is a fragment of that page.</summary>
    string Application(string reference, string? section = null);

    /// <summary>The documents step of a draft.</summary>
    string DraftDocuments(Guid draftId);

    /// <summary>The annual recap of an annual prosthesis derogation.</summary>
    string AnnualRecap(string reference);

    /// <summary>A new global application extending a granted one.</summary>
    string ExtensionRequest(string reference);

    /// <summary>The reviewer's case file; <paramref name="section"/> is a fragment of that page.</summary>
    string CaseFile(string reference, string? section = null);

    /// <summary>An application's message thread, on the applicant's side or ANSM's.</summary>
    string Messages(string reference, bool forAnsm);

    /// <summary>Where an ANSM expert reads the question asked of them and answers it.</summary>
    string ExpertOpinion(Guid id);

    /// <summary>Where the signatory reads and signs a proposal.</summary>
    string Signature(string reference);

    /// <summary>The public page that verifies an issued letter by its code.</summary>
    string Verification(string code);

    /// <summary>The prescriber's single-use page for their part of an application.</summary>
    string PrescriberPart(string token);

    /// <summary>A letter opened once by someone without an account.</summary>
    string SingleUseLetter(string token);

    /// <summary>An invitation to create an account in an organisation.</summary>
    string Invitation(string token);
}
