using Derogation.Core.Data;
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
/// A manufacturer sees the mandates it granted and (its administrators) grants or revokes them; a consultancy
/// sees the mandates it holds and may upload a signed letter for a manufacturer not yet registered.
/// </summary>
public sealed class IndexModel(MandateService mandates, DerogationDbContext db, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    public InputModel Input { get; set; } = new();

    public bool IsManufacturer { get; private set; }

    public List<Mandate> Mandates { get; private set; } = [];

    public IEnumerable<(string, string)> Consultancies { get; private set; } = [];

    public DateOnly Today => mandates.Today;

    [TempData]
    public string? Confirmation { get; set; }

    public sealed class InputModel
    {
        public string? ConsultancyId { get; set; }
        public DateOnly? ValidFrom { get; set; }
        public DateOnly? ValidUntil { get; set; }
        public string? Scope { get; set; }
    }

    public async Task OnGetAsync() => await LoadAsync();

    public async Task<IActionResult> OnPostGrantAsync()
    {
        if (!await CanManageAsync())
        {
            return NotFound();
        }

        var validator = new InlineValidator<InputModel>();
        validator.RuleFor(i => i.ConsultancyId).Must(id => Guid.TryParse(id, out _)).WithMessage(l["MandateConsultancyRequired"]);
        validator.RuleFor(i => i.ValidFrom).NotNull().WithMessage(l["MandateFromRequired"]);
        validator.RuleFor(i => i.ValidUntil).Must((i, until) => until is null || i.ValidFrom is null || until >= i.ValidFrom).WithMessage(l["MandateEndBeforeStart"]);
        validator.RuleFor(i => i.Scope).MaximumLength(1000).WithMessage(l["TooLong", 1000]);
        if (!validator.Validate(Input).AddTo(this))
        {
            await LoadAsync();
            return Page();
        }

        var (error, _) = await mandates.GrantAsync(User.OrganisationIdOf(), Guid.Parse(Input.ConsultancyId!), Input.ValidFrom!.Value, Input.ValidUntil, Input.Scope, User.UserId());
        if (error != MandateError.None)
        {
            ModelState.AddModelError(error == MandateError.EndBeforeStart ? "Input.ValidUntil" : "Input.ConsultancyId",
                error == MandateError.EndBeforeStart ? l["MandateEndBeforeStart"] : l["MandateConsultancyRequired"]);
            await LoadAsync();
            return Page();
        }

        Confirmation = l["MandateGranted"];
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        if (!await CanManageAsync() || await mandates.RevokeAsync(id, User.OrganisationIdOf(), User.UserId()) != MandateError.None)
        {
            return NotFound();
        }

        Confirmation = l["MandateRevokedConfirmation"];
        return RedirectToPage();
    }

    public async Task<bool> CanManageAsync() => User.IsOrganisationAdministrator() && await KindAsync() == OrganisationKind.Manufacturer;

    private async Task<OrganisationKind> KindAsync()
    {
        var organisationId = User.OrganisationIdOf();
        return await db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Kind).SingleAsync();
    }

    private async Task LoadAsync()
    {
        IsManufacturer = await KindAsync() == OrganisationKind.Manufacturer;
        Mandates = IsManufacturer ? await mandates.GrantedByAsync(User.OrganisationIdOf()) : await mandates.HeldByAsync(User.OrganisationIdOf());
        if (IsManufacturer)
        {
            // Consultancies, importers and distributors: those who file for a manufacturer under its mandate.
            Consultancies = (await db.Organisations.AsNoTracking().Where(o => OrganisationKinds.UnderMandate.Contains(o.Kind))
                    .OrderBy(o => o.LegalName).Select(o => new { o.Id, o.LegalName, o.Country, o.Kind }).ToListAsync())
                .Select(o => (o.Id.ToString(), $"{o.LegalName} ({o.Country}) — {l["Kind" + o.Kind]}"));
        }
    }

    public string StatusLabel(Mandate mandate) => mandate.Status switch
    {
        MandateStatus.Active when mandate.IsInForce(Today) => l["MandateInForce"],
        MandateStatus.Active => l["MandateNotInForce"],
        MandateStatus.PendingVerification => l["MandatePending"],
        MandateStatus.Rejected => l["MandateRejectedStatus"],
        _ => l["MandateRevokedStatus"],
    };
}
