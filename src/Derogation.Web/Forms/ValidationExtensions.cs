using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Derogation.Web.Forms;

public static class ValidationExtensions
{
    /// <summary>ViewData key of the fields in error, in the order of the form (ModelState has no order of its own).</summary>
    public const string ErrorOrderKey = "ErrorOrder";

    /// <summary>
    /// Copies FluentValidation's errors into ModelState under the form's field names (prefix "Input."), and
    /// remembers their order (the validator's rules follow the form) so the error summary lists them top to bottom.
    /// </summary>
    public static bool AddTo(this ValidationResult result, PageModel page, string prefix = "Input")
    {
        if (page.ViewData[ErrorOrderKey] is not List<string> order)
        {
            order = [];
            page.ViewData[ErrorOrderKey] = order;
        }

        // Fields the binder could not read at all, before any rule spoke.
        var unreadable = page.ModelState.Where(entry => entry.Value?.Errors.Count > 0).Select(entry => entry.Key).ToHashSet();
        foreach (var error in result.Errors)
        {
            var key = string.IsNullOrEmpty(error.PropertyName) ? "" : $"{prefix}.{error.PropertyName}";
            if (key.Length > 0 && unreadable.Contains(key))
            {
                // The binder already said what is wrong with what was typed ("12/03/2019" in a year): a second
                // message saying the field is empty would contradict it. The binder's message takes the field's place
                // in the summary's order.
                if (!order.Contains(key))
                {
                    order.Add(key);
                }

                continue;
            }

            page.ModelState.AddModelError(key, error.ErrorMessage);
            if (!order.Contains(key))
            {
                order.Add(key);
            }
        }

        return result.IsValid;
    }
}
