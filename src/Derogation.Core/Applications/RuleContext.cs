using Microsoft.Extensions.Localization;

namespace Derogation.Core.Applications;

/// <summary>Settings of the application rules (configuration section "Applications").</summary>
public sealed class ApplicationRules
{
    /// <summary>Longest validity period a global derogation may request, in months (default 12).</summary>
    public int GlobalMaxValidityMonths { get; set; } = 12;
}

/// <summary>What every rule needs besides the answers: the user's strings, the clock and the configured limits.</summary>
public sealed record RuleContext(IStringLocalizer L, TimeProvider Clock, ApplicationRules Rules);
