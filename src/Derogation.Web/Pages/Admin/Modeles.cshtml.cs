using Derogation.Core.Issuing;
using Derogation.Core.Letters;
using Derogation.Web.Accounts;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Pages.Admin;

/// <summary>
/// The letters' standard paragraphs and the e-mails that go with letters, which ANSM adjusts without a release: each
/// saved as a new version (issued letters keep theirs), previewed on a fictitious case before saving — a letter as a
/// draft PDF, an e-mail as its plain text.
/// </summary>
public sealed class ModelesModel(LetterWordings wordings, IStringLocalizer<SharedResource> l) : PageModel
{
    public IReadOnlyList<CurrentWording> Wordings { get; private set; } = [];

    /// <summary>What the administrator typed for the wording being saved or previewed, kept when refused.</summary>
    public Dictionary<string, string> Typed { get; } = [];

    [TempData]
    public string? Confirmation { get; set; }

    public static string FieldOf(string key) => $"texte-{key}";

    public async Task OnGetAsync() => Wordings = await wordings.CurrentAsync();

    public async Task<IActionResult> OnPostSaveAsync(string key, string? text)
    {
        var (error, unknown) = await wordings.SaveAsync(key, text, User.UserId());
        if (error == WordingError.UnknownKey)
        {
            return NotFound();
        }

        if (error == WordingError.None)
        {
            Confirmation = l["WordingSaved", l["Wording" + key]].Value;
            return RedirectToPage();
        }

        Refuse(key, text, error, unknown);
        await OnGetAsync();
        return Page();
    }

    /// <summary>The fictitious letter with the text as typed, marked as a draft; nothing is saved.</summary>
    public async Task<IActionResult> OnPostPreviewAsync(string key, string? text)
    {
        var error = LetterWordings.Check(key, text, out var unknown);
        if (error == WordingError.UnknownKey)
        {
            return NotFound();
        }

        if (error != WordingError.None)
        {
            Refuse(key, text, error, unknown);
            await OnGetAsync();
            return Page();
        }

        if (LetterWordings.IsEmail(key))
        {
            var (emails, _) = await wordings.ForEmailsAsync();
            var typed = key switch
            {
                LetterEmails.NoticeKey => emails with { Notice = text! },
                LetterEmails.CopyKey => emails with { Copy = text! },
                _ => emails with { CopyLink = text! },
            };
            return Content(LetterEmails.Sample(key, typed), "text/plain; charset=utf-8");
        }

        var (current, _) = await wordings.ForLettersAsync();
        var wording = key switch
        {
            nameof(StandardParagraphs.GrantIndividual) => current with { GrantIndividual = text! },
            nameof(StandardParagraphs.GrantGlobal) => current with { GrantGlobal = text! },
            nameof(StandardParagraphs.Refusal) => current with { Refusal = text! },
            _ => current with { Closure = text! },
        };
        return File(SampleLetter.Render(key, wording), "application/pdf");
    }

    private void Refuse(string key, string? text, WordingError error, string? unknown)
    {
        Typed[key] = text ?? "";
        ModelState.AddModelError(FieldOf(key), error switch
        {
            WordingError.Required => l["WordingRequired", l["Wording" + key]],
            WordingError.TooLong => l["WordingTooLong", l["Wording" + key], LetterWordings.MaxLength],
            WordingError.MissingPlaceholder => l["WordingMissingPlaceholder", l["Wording" + key], unknown ?? ""],
            _ => l["WordingUnknownPlaceholder", l["Wording" + key], unknown ?? "", string.Join(", ", LetterWordings.PlaceholdersOf(key))],
        });
    }
}
