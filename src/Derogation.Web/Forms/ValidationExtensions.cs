using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace Derogation.Web.Forms;

public static class ValidationExtensions
{
    /// <summary>Copies FluentValidation's errors into ModelState under the form's field names (prefix "Input.").</summary>
    public static bool AddTo(this ValidationResult result, ModelStateDictionary modelState, string prefix = "Input")
    {
        foreach (var error in result.Errors)
        {
            modelState.AddModelError(string.IsNullOrEmpty(error.PropertyName) ? "" : $"{prefix}.{error.PropertyName}", error.ErrorMessage);
        }

        return result.IsValid;
    }
}
