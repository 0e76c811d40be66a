using Derogation.Core.Applications;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Derogation.Web.Pages.Prescripteur;

/// <summary>
/// Public: the prescriber's part of an individual application, through the single-use link they were e-mailed (no
/// account). They see the patient's initials, the device and who asks — nothing else of the application — and write
/// the medical justification, who they are and their attestation. Saving spends the link; afterwards, or when
/// unknown or expired, a plain "not found".
/// </summary>
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed class LienModel(PrescriberPart part) : PageModel
{
    public PrescriberView? View { get; private set; }

    public bool Completed { get; private set; }

    [BindProperty]
    public PrescriberForm Input { get; set; } = new();

    public sealed class PrescriberForm
    {
        public string? Name { get; set; }
        public string? Specialty { get; set; }
        public string? Rpps { get; set; }
        public string? Establishment { get; set; }
        public string? MedicalJustification { get; set; }
        public bool PatientInformedAndConsented { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        View = await part.OpenAsync(token);
        if (View is null)
        {
            return Gone();
        }

        // A statement written earlier (an information request asks to complete it) is where the prescriber starts.
        if (View.Application.Answers.PrescriberStatement is { } earlier)
        {
            Input = new PrescriberForm
            {
                Name = earlier.Name, Specialty = earlier.Specialty, Rpps = earlier.Rpps, Establishment = earlier.Establishment,
                MedicalJustification = earlier.MedicalJustification,
            };
        }
        else
        {
            var professionals = View.Application.Answers.HealthProfessionals;
            Input = new PrescriberForm
            {
                Name = professionals.PrescriberName, Specialty = professionals.PrescriberSpecialty, Rpps = professionals.PrescriberRpps,
                Establishment = professionals.EstablishmentName,
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        var result = await part.CompleteAsync(token, new PrescriberStatementInput(
            Input.Name, Input.Specialty, Input.Rpps, Input.Establishment, Input.MedicalJustification, Input.PatientInformedAndConsented));
        if (result is null)
        {
            return Gone();
        }

        if (!result.IsValid)
        {
            View = await part.OpenAsync(token);
            result.AddTo(this);
            return Page();
        }

        Completed = true;
        return Page();
    }

    private PageResult Gone()
    {
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
