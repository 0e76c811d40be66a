using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Mandates;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Mandats;

/// <summary>
/// A consultancy's (importer's, distributor's) administrator uploads a signed mandate letter from a manufacturer that
/// has no account; a registered manufacturer grants its mandates in the portal.
/// </summary>
public sealed class LettreModel(
    MandateService mandates, DerogationDbContext db, DocumentStore documents, DocumentOptions documentOptions, IStringLocalizer<SharedResource> l) : PageModel
{
    public const long MaximumLetterBytes = 10 * 1024 * 1024;

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public sealed class InputModel
    {
        public string ManufacturerName { get; set; } = "";
        public string ManufacturerAddress { get; set; } = "";
        public string ManufacturerCountry { get; set; } = "";
        public string? ManufacturerSrn { get; set; }
        public string ContactEmail { get; set; } = "";
        public DateOnly? ValidFrom { get; set; }
        public DateOnly? ValidUntil { get; set; }
        public string? Scope { get; set; }
        public IFormFile? Letter { get; set; }
    }

    public async Task<IActionResult> OnGetAsync() => await IsConsultancyAdministratorAsync() ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!await IsConsultancyAdministratorAsync())
        {
            return NotFound();
        }

        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.ManufacturerName).NotEmpty().WithMessage(l["LegalNameRequired"]).MaximumLength(300).WithMessage(l["TooLong", 300]);
        validator.RuleFor(i => i.ManufacturerAddress).NotEmpty().WithMessage(l["AddressRequired"]).MaximumLength(1000).WithMessage(l["TooLong", 1000]);
        validator.RuleFor(i => i.ManufacturerCountry).NotEmpty().WithMessage(l["CountryRequired"]).MaximumLength(100).WithMessage(l["TooLong", 100]);
        validator.RuleFor(i => i.ManufacturerSrn).Must(srn => string.IsNullOrWhiteSpace(srn) || OrganisationVerification.IsManufacturerSrn(srn))
            .WithMessage(l["SrnInvalid"]);
        validator.RuleFor(i => i.ContactEmail).NotEmpty().WithMessage(l["MandateContactEmailRequired"])
            .Must(Derogation.Core.Applications.PrescriberPart.IsEmail).When(i => !string.IsNullOrWhiteSpace(i.ContactEmail), ApplyConditionTo.CurrentValidator)
            .WithMessage(l["MandateContactEmailInvalid"]);
        validator.RuleFor(i => i.ValidFrom).NotNull().WithMessage(l["MandateFromRequired"]);
        validator.RuleFor(i => i.ValidUntil).Must((i, until) => until is null || i.ValidFrom is null || until >= i.ValidFrom).WithMessage(l["MandateEndBeforeStart"]);
        validator.RuleFor(i => i.Letter).NotNull().WithMessage(l["LetterRequired"]);
        validator.RuleFor(i => i.Letter!.Length).LessThanOrEqualTo(MaximumLetterBytes).When(i => i.Letter is not null).OverridePropertyName("Letter")
            .WithMessage(l["LetterTooLarge", MaximumLetterBytes / 1024 / 1024]);
        validator.RuleFor(i => i.Letter!.Length).GreaterThan(0).When(i => i.Letter is not null).OverridePropertyName("Letter").WithMessage(l["FileEmpty"]);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var content = new MemoryStream((int)Input.Letter!.Length);
        await using (var stream = Input.Letter.OpenReadStream())
        {
            await stream.CopyToAsync(content);
        }

        // Recognised by content, not by name, like every document of the portal; scanned and checked like them too.
        if (FileSignature.Detect(content) != AcceptedFormat.Pdf)
        {
            ModelState.AddModelError("Input.Letter", l["LetterNotPdf"]);
            return Page();
        }

        var (refusal, _) = await documents.InspectAsync(Input.Letter.FileName, content,
            new UploadSubject(nameof(Derogation.Core.Organisations.Organisation), User.OrganisationIdOf().ToString(), User.UserId()), null, HttpContext.RequestAborted);
        if (refusal is not null)
        {
            ModelState.AddModelError("Input.Letter", Derogation.Web.Applications.UploadErrors.Message(l, refusal, documentOptions));
            return Page();
        }

        var fileName = DocumentStore.SafeFileName(Input.Letter.FileName, AcceptedFormat.Pdf);
        var (error, _) = await mandates.UploadLetterAsync(User.OrganisationIdOf(), Input.ManufacturerName, Input.ManufacturerAddress, Input.ManufacturerCountry,
            Input.ManufacturerSrn, Input.ContactEmail, Input.ValidFrom!.Value, Input.ValidUntil, Input.Scope, fileName, content.ToArray(), User.UserId());
        if (error == MandateError.ManufacturerRegistered)
        {
            // That manufacturer has an account: it is asked, in the portal, rather than told afterwards.
            ModelState.AddModelError("Input.ManufacturerName", l["MandateLetterManufacturerRegistered"]);
            return Page();
        }

        TempData["Confirmation"] = l["LetterUploaded"].Value;
        return RedirectToPage("/Mandats/Index");
    }

    private async Task<bool> IsConsultancyAdministratorAsync()
    {
        var organisationId = User.OrganisationIdOf();
        return User.IsOrganisationAdministrator()
               && await db.Organisations.AnyAsync(o => o.Id == organisationId && OrganisationKinds.UnderMandate.Contains(o.Kind));
    }
}
