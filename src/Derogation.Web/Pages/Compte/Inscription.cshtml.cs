using Derogation.Core.Accounts;
using Derogation.Core.Organisations;
using Derogation.Web.Accounts;
using Derogation.Web.Forms;
using FluentValidation;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Derogation.Web.Pages.Compte;

/// <summary>A manufacturer or a consultancy registers itself; its first user administers its members.</summary>
[EnableRateLimiting(AccountRateLimits.Policy)]
public sealed partial class InscriptionModel(
    AccountService accounts, UserManager<PortalUser> users, AccountEmails emails, IOptions<IdentityOptions> identity,
    IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IEnumerable<(string, string)> Kinds =>
        [
            (nameof(OrganisationKind.Manufacturer), l["KindManufacturer"]), (nameof(OrganisationKind.Consultancy), l["KindConsultancy"]),
            (nameof(OrganisationKind.Importer), l["KindImporter"]), (nameof(OrganisationKind.Distributor), l["KindDistributor"]),
        ];

    public sealed class InputModel : IPasswordInput
    {
        public string? Kind { get; set; }
        public string LegalName { get; set; } = "";
        public string Address { get; set; } = "";
        public string Country { get; set; } = "";
        public string? EudamedSrn { get; set; }
        public string FullName { get; set; } = "";
        public string Email { get; set; } = "";
        public string Password { get; set; } = "";
        public string ConfirmPassword { get; set; } = "";
    }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.Kind).Must(k => k is nameof(OrganisationKind.Manufacturer) or nameof(OrganisationKind.Consultancy) or nameof(OrganisationKind.Importer) or nameof(OrganisationKind.Distributor)).WithMessage(l["KindRequired"]);
        validator.RuleFor(i => i.LegalName).NotEmpty().WithMessage(l["LegalNameRequired"]).MaximumLength(300).WithMessage(l["TooLong", 300]);
        validator.RuleFor(i => i.Address).NotEmpty().WithMessage(l["AddressRequired"]).MaximumLength(1000).WithMessage(l["TooLong", 1000]);
        validator.RuleFor(i => i.Country).NotEmpty().WithMessage(l["CountryRequired"]).MaximumLength(100).WithMessage(l["TooLong", 100]);
        validator.RuleFor(i => i.EudamedSrn).Must(s => string.IsNullOrWhiteSpace(s) || OrganisationVerification.IsManufacturerSrn(s))
            .WithMessage(l["SrnInvalid"]);
        validator.RuleFor(i => i.FullName).NotEmpty().WithMessage(l["FullNameRequired"]).MaximumLength(200).WithMessage(l["TooLong", 200]);
        validator.RuleFor(i => i.Email).Cascade(FluentValidation.CascadeMode.Stop).NotEmpty().WithMessage(l["EmailRequired"]).Must(Derogation.Core.Applications.FieldKinds.IsEmail).WithMessage(l["EmailInvalid"]);
        validator.AddPasswordRules(identity.Value.Password, l);
        if (!validator.Validate(Input).AddTo(this))
        {
            return Page();
        }

        var kind = Enum.Parse<OrganisationKind>(Input.Kind!);
        var result = await accounts.RegisterOrganisationAsync(
            new OrganisationDetails(kind, Input.LegalName, Input.Address, Input.Country, Input.EudamedSrn),
            Input.FullName, Input.Email.Trim(), Input.Password);
        switch (result.Error)
        {
            case AccountError.DuplicateOrganisation:
                ModelState.AddModelError("Input.LegalName", l["OrganisationExists"]);
                return Page();
            case AccountError.EmailTaken:
                // The same answer as a free address, in about the same time (a password is hashed either way): the owner
                // of the address is told by e-mail, the visitor learns nothing about who has an account.
                users.PasswordHasher.HashPassword(new PortalUser { FullName = "" }, Input.Password);
                await emails.SendAlreadyRegisteredAsync(Input.Email.Trim());
                return RedirectToPage("/Compte/VerifiezVosEmails");
            case AccountError.PasswordRejected:
                ModelState.AddModelError("Input.Password", l["PasswordWeak", identity.Value.Password.RequiredLength]);
                return Page();
        }

        var user = result.User!;
        var token = WebEncoders.Base64UrlEncode(System.Text.Encoding.UTF8.GetBytes(await users.GenerateEmailConfirmationTokenAsync(user)));
        await emails.SendEmailConfirmationAsync(user.Email!, user.Id, token);
        return RedirectToPage("/Compte/VerifiezVosEmails");
    }
}

/// <summary>A form that chooses a password and confirms it.</summary>
public interface IPasswordInput
{
    string Password { get; }
    string ConfirmPassword { get; }
}

public static class PasswordRules
{
    /// <summary>The password policy of Identity (Program.cs), said in words the user understands, with confirmation.</summary>
    public static void AddPasswordRules<T>(this InlineValidator<T> validator, PasswordOptions policy, IStringLocalizer l)
        where T : IPasswordInput
    {
        validator.RuleFor(i => i.Password).NotEmpty().WithMessage(l["PasswordRequired"]);
        validator.RuleFor(i => i.Password)
            .Must(p => p.Length >= policy.RequiredLength && p.Any(char.IsDigit) && p.Any(char.IsUpper) && p.Any(char.IsLower))
            .When(i => !string.IsNullOrEmpty(i.Password))
            .WithMessage(l["PasswordWeak", policy.RequiredLength]);
        validator.RuleFor(i => i.ConfirmPassword)
            .Must((i, c) => c == i.Password).WithMessage(l["PasswordMismatch"]);
    }
}
