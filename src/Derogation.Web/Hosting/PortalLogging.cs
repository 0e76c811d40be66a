using Serilog;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace Derogation.Web.Hosting;

/// <summary>
/// Serilog through Serilog.AspNetCore, structured: readable text in Development, compact JSON one event a line
/// elsewhere (for a log collector). Every event passes the <see cref="PersonalDataFilter"/> before it reaches a
/// sink; the request line names the route template, never the path or the query string (docs/adr/0002).
/// </summary>
internal static class PortalLogging
{
    public static void AddPortalLogging(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var readableText = builder.Environment.IsDevelopment();
        builder.Logging.ClearProviders();
        // Built from the container so that any ILogEventSink registered there (the tests register one)
        // receives exactly what the console receives, after the personal-data filter.
        // The static Log.Logger is left alone: each host (several run side by side in the tests) has its own logger.
        builder.Services.AddSerilog((services, logger) =>
        {
            Configure(logger, configuration, readableText);
            foreach (var sink in services.GetServices<ILogEventSink>())
            {
                logger.WriteTo.Sink(sink);
            }
        }, preserveStaticLogger: true);
    }

    private const string RouteItem = "portal-route";

    /// <summary>
    /// Remembers the route template the request was routed to, before an error page is re-executed in its place, so
    /// that the request line names what failed, not "/erreur/{code}". Placed right after routing.
    /// </summary>
    public static IApplicationBuilder RememberRoute(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            context.Items[RouteItem] ??= (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
            return next(context);
        });

    /// <summary>The route template the request was routed to (before any error page), or null when none matched.</summary>
    public static string? OriginalRoute(HttpContext context) =>
        context.Items[RouteItem] as string ?? (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;

    /// <summary>
    /// One event a request when it completes: method, route template, status, duration (with the request's
    /// correlation id, from <see cref="RequestTracing"/>). The raw path and query string could carry tokens or, by
    /// mistake, personal data: they are never logged.
    /// </summary>
    public static IApplicationBuilder UsePortalRequestLogging(this IApplicationBuilder app) =>
        app.UseSerilogRequestLogging(options =>
        {
            // This host's logger, not the static one.
            options.Logger = app.ApplicationServices.GetRequiredService<Serilog.ILogger>();
            options.MessageTemplate = "HTTP {RequestMethod} {Route} responded {StatusCode} in {Elapsed:0.0} ms";
            options.GetMessageTemplateProperties = (context, _, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("Route", new ScalarValue("/" + (OriginalRoute(context) ?? "(no route)").TrimStart('/'))),
                new LogEventProperty("StatusCode", new ScalarValue(status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });

    /// <summary>The pipeline the portal logs through; tests add a sink to it to read what would be written.</summary>
    public static LoggerConfiguration CreateLogger(IConfiguration configuration, bool readableText) =>
        Configure(new LoggerConfiguration(), configuration, readableText);

    private static LoggerConfiguration Configure(LoggerConfiguration logger, IConfiguration configuration, bool readableText)
    {
        logger
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft.AspNetCore", LogEventLevel.Warning)
            .MinimumLevel.Override("Microsoft.EntityFrameworkCore", LogEventLevel.Warning)
            .ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext()
            .Enrich.With<PersonalDataFilter>();

        return readableText
            ? logger.WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss} {Level:u3}] {Message:lj} {CorrelationId}{NewLine}{Exception}")
            : logger.WriteTo.Console(new RenderedCompactJsonFormatter());
    }
}

/// <summary>
/// Keeps personal data out of the logs whatever a developer writes: properties whose name says they hold
/// personal data or secrets are replaced, and e-mail addresses and French social-security numbers found
/// in any text property are masked. Log templates must still never carry such data (docs/architecture.md).
/// </summary>
internal sealed partial class PersonalDataFilter : ILogEventEnricher
{
    public const string Redacted = "[redacted]";

    // Parts of property names that say the value is personal data or a secret. Specific on purpose:
    // "Name" or "Address" alone are used by the framework for routes, environments and listening URLs.
    private static readonly string[] SensitiveNameParts =
    [
        "email", "mail", "password", "token", "secret", "phone", "telephone", "firstname", "lastname", "fullname",
        "surname", "username", "displayname", "prenom", "initial", "birth", "naissance", "postaladdress",
        "streetaddress", "adresse", "patient", "rpps", "nir", "socialsecurity", "cookie", "authorization",
    ];

    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        // ASP.NET Core's request scope carries the raw path, which may hold a single-use link's token: the request
        // line names the route template instead.
        logEvent.RemovePropertyIfPresent("RequestPath");
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (SensitiveNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase)))
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(Redacted)));
            }
            else if (value is ScalarValue { Value: string text } && MaskPatterns(text) is var masked && masked != text)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, new ScalarValue(masked)));
            }
        }
    }

    public static string MaskPatterns(string text) =>
        SocialSecurityNumber().Replace(EmailAddress().Replace(text, Redacted), Redacted);

    [System.Text.RegularExpressions.GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")]
    private static partial System.Text.RegularExpressions.Regex EmailAddress();

    // NIR: sex digit, year, month, department (2A/2B for Corsica), commune, order, optional key; spaces allowed.
    [System.Text.RegularExpressions.GeneratedRegex(@"\b[12]\s?\d{2}\s?\d{2}\s?(?:\d{2}|2[AB])\s?\d{3}\s?\d{3}(?:\s?\d{2})?\b")]
    private static partial System.Text.RegularExpressions.Regex SocialSecurityNumber();
}
