using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace Derogation.Web.Forms;

/// <summary>
/// The DSFR form controls, written once: label with its asterisk when mandatory, hint, the value the user
/// typed (from ModelState when a step was refused, so nothing is lost), the error message tied to the field
/// by aria-describedby, and the id the error summary links to.
/// </summary>
public abstract class DsfrFieldTagHelper : TagHelper
{
    [HtmlAttributeName("for")]
    public ModelExpression For { get; set; } = null!;

    public string Label { get; set; } = "";

    public string? Hint { get; set; }

    public bool Required { get; set; }

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    protected string Name => For.Name;

    protected string Id => TagBuilder.CreateSanitizedId(For.Name, "_");

    protected string MessagesId => Id + "-messages";

    protected string? Error => ViewContext.ViewData.ModelState.TryGetValue(For.Name, out var entry) && entry.Errors.Count > 0
        ? entry.Errors[0].ErrorMessage
        : null;

    /// <summary>What to show in the control: what was posted when the page is redisplayed, else the model's value.</summary>
    protected string Value => ViewContext.ViewData.ModelState.TryGetValue(For.Name, out var entry) && entry.AttemptedValue is not null
        ? entry.AttemptedValue
        : For.Model switch
        {
            null => "",
            bool flag => flag ? "true" : "false",
            DateOnly date => date.ToString("yyyy-MM-dd"),
            IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
            var other => other.ToString() ?? "",
        };

    protected static string Encode(string text) => HtmlEncoder.Default.Encode(text);

    protected string LabelHtml(string cssClass = "fr-label", string element = "label") =>
        // With its asterisk in one span: a checkbox's label lays its children out as a column, which would orphan the asterisk.
        $"<{element} class=\"{cssClass}\"{(element == "label" ? $" for=\"{Id}\"" : "")}>{(Required ? $"<span>{Encode(Label)} <span class=\"fr-required\" aria-hidden=\"true\">*</span></span>" : Encode(Label))}" +
        (Hint is null ? "" : $"<span class=\"fr-hint-text\">{Encode(Hint)}</span>") + $"</{element}>";

    protected string MessagesHtml() =>
        $"<div class=\"fr-messages-group\" id=\"{MessagesId}\" aria-live=\"polite\">" +
        (Error is null ? "" : $"<p class=\"fr-message fr-message--error\">{Encode(Error)}</p>") + "</div>";
}

/// <summary><c>&lt;dsfr-input for="Input.Email" label="…" type="email" autocomplete="email" required="true" /&gt;</c>, or type="textarea".</summary>
[HtmlTargetElement("dsfr-input", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrInputTagHelper : DsfrFieldTagHelper
{
    public string Type { get; set; } = "text";

    public string? Autocomplete { get; set; }

    public int Rows { get; set; } = 5;

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var error = Error is not null;
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error ? "fr-input-group fr-input-group--error" : "fr-input-group");
        var common = $"class=\"fr-input{(error ? " fr-input--error" : "")}\" id=\"{Id}\" name=\"{Name}\" aria-describedby=\"{MessagesId}\"" +
                     (Required ? " aria-required=\"true\"" : "") + (error ? " aria-invalid=\"true\"" : "") +
                     (Autocomplete is null ? "" : $" autocomplete=\"{Autocomplete}\"");
        // A password is never sent back to the browser.
        var value = Type == "password" ? "" : Value;
        var control = Type == "textarea"
            ? $"<textarea {common} rows=\"{Rows}\">{Encode(value)}</textarea>"
            : $"<input {common} type=\"{Type}\" value=\"{Encode(value)}\">";
        output.Content.SetHtmlContent(LabelHtml() + control + MessagesHtml());
    }
}

/// <summary><c>&lt;dsfr-radios for="Input.Kind" label="…" options="@choices" /&gt;</c>: a fieldset of radio buttons.</summary>
[HtmlTargetElement("dsfr-radios", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrRadiosTagHelper : DsfrFieldTagHelper
{
    public IEnumerable<(string Value, string Label)> Options { get; set; } = [];

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var error = Error is not null;
        output.TagName = "fieldset";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error ? "fr-fieldset fr-fieldset--error" : "fr-fieldset");
        output.Attributes.SetAttribute("id", Id);
        output.Attributes.SetAttribute("aria-labelledby", Id + "-legend " + MessagesId);
        var legend = LabelHtml("fr-fieldset__legend fr-fieldset__legend--regular", "legend").Replace("<legend ", $"<legend id=\"{Id}-legend\" ");
        var items = string.Concat(Options.Select((option, index) =>
            $"<div class=\"fr-fieldset__element\"><div class=\"fr-radio-group\">" +
            $"<input type=\"radio\" id=\"{Id}-{index}\" name=\"{Name}\" value=\"{Encode(option.Value)}\"{(option.Value == Value ? " checked" : "")}>" +
            $"<label class=\"fr-label\" for=\"{Id}-{index}\">{Encode(option.Label)}</label></div></div>"));
        output.Content.SetHtmlContent(legend + items + MessagesHtml().Replace("fr-messages-group\"", "fr-messages-group\" role=\"alert\""));
    }
}

/// <summary><c>&lt;dsfr-select for="Input.ConsultancyId" label="…" options="@choices" placeholder="…" /&gt;</c>.</summary>
[HtmlTargetElement("dsfr-select", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrSelectTagHelper : DsfrFieldTagHelper
{
    public IEnumerable<(string Value, string Label)> Options { get; set; } = [];

    public string Placeholder { get; set; } = "";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var error = Error is not null;
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error ? "fr-select-group fr-select-group--error" : "fr-select-group");
        var options = $"<option value=\"\"{(Value == "" ? " selected" : "")} disabled hidden>{Encode(Placeholder)}</option>" +
                      string.Concat(Options.Select(o => $"<option value=\"{Encode(o.Value)}\"{(o.Value == Value ? " selected" : "")}>{Encode(o.Label)}</option>"));
        var select = $"<select class=\"fr-select{(error ? " fr-select--error" : "")}\" id=\"{Id}\" name=\"{Name}\" aria-describedby=\"{MessagesId}\"" +
                     (Required ? " aria-required=\"true\"" : "") + $">{options}</select>";
        output.Content.SetHtmlContent(LabelHtml() + select + MessagesHtml());
    }
}

/// <summary><c>&lt;dsfr-upload for="Input.Letter" label="…" hint="…" accept=".pdf" /&gt;</c>.</summary>
[HtmlTargetElement("dsfr-upload", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrUploadTagHelper : DsfrFieldTagHelper
{
    public string? Accept { get; set; }

    /// <summary>Several files may be chosen at once.</summary>
    public bool Multiple { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var error = Error is not null;
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error ? "fr-upload-group fr-upload-group--error" : "fr-upload-group");
        var input = $"<input class=\"fr-upload\" type=\"file\" id=\"{Id}\" name=\"{Name}\" aria-describedby=\"{MessagesId}\"" +
                    (Accept is null ? "" : $" accept=\"{Accept}\"") + (Multiple ? " multiple" : "") + (Required ? " aria-required=\"true\"" : "") + ">";
        output.Content.SetHtmlContent(LabelHtml() + input + MessagesHtml());
    }
}

/// <summary><c>&lt;dsfr-checkbox for="Input.Accepted" label="…" /&gt;</c>: one checkbox bound to a bool.</summary>
[HtmlTargetElement("dsfr-checkbox", TagStructure = TagStructure.WithoutEndTag)]
public sealed class DsfrCheckboxTagHelper : DsfrFieldTagHelper
{
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var error = Error is not null;
        var isChecked = string.Equals(Value, "true", StringComparison.OrdinalIgnoreCase);
        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.SetAttribute("class", error ? "fr-checkbox-group fr-checkbox-group--error" : "fr-checkbox-group");
        var input = $"<input type=\"checkbox\" id=\"{Id}\" name=\"{Name}\" value=\"true\" aria-describedby=\"{MessagesId}\"{(isChecked ? " checked" : "")}>";
        output.Content.SetHtmlContent(input + LabelHtml() + MessagesHtml());
    }
}
