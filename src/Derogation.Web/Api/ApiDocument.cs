using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Derogation.Web.Api;

/// <summary>
/// The API's OpenAPI document, generated from the endpoints (/api/v1/openapi.json), and its browsable reference
/// (/api/v1/reference/, Scalar, served from the package — no CDN, fonts, telemetry or AI chat from elsewhere).
/// </summary>
public static class ApiDocument
{
    public const string Path = "/api/v1/openapi.json";
    public const string ReferencePath = "/api/v1/reference";

    public static void Configure(OpenApiOptions options)
    {
        // Only the API: the pages and the register's files are not operations of it.
        options.ShouldInclude = description => description.RelativePath?.StartsWith("api/v1", StringComparison.Ordinal) == true;
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Derogations from CE marking — API",
                Version = "v1",
                Description = "For manufacturers and consultants: list, read, create, complete and submit applications for a derogation from CE marking " +
                              "(MDR Art. 59, IVDR Art. 54), download receipts and letters; for anyone: the register of global derogations and the verification of a letter. " +
                              "Authenticate with a personal access token created at /compte/jetons (Authorization: Bearer dgt_…). " +
                              "Errors are RFC 9457 problem details, in French unless Accept-Language asks for English.",
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes["token"] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "A personal access token (dgt_…), read-only or read-write.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            // Operations that need a token say so (the public ones do not).
            if (context.Description.ActionDescriptor.EndpointMetadata.OfType<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("token", context.Document)] = [] }];
            }

            return Task.CompletedTask;
        });
    }

    public static void MapApiDocument(WebApplication app)
    {
        app.Use(DeclareReferenceLanguage);
        app.MapOpenApi(Path).RequireRateLimiting(ApiAccess.RateLimit);
        app.MapScalarApiReference(ReferencePath, options => options
            .WithTitle("Derogations from CE marking — API")
            .WithOpenApiRoutePattern(Path)
            .DisableDefaultFonts()
            .DisableTelemetry()
            // Nothing that talks to Scalar's own services (AI chat, SDK generation, deployment offers).
            .DisableAgent()
            .HideDeveloperTools()
            .WithDotNetFlag(false)
            .WithNonce());
    }

    /// <summary>
    /// Scalar's page opens with a bare <c>&lt;html&gt;</c>: a screen reader would read its English in the user's
    /// language (RGAA 8.3). The page is small; it is buffered and given <c>lang="en"</c> (the reference is in English).
    /// </summary>
    private static async Task DeclareReferenceLanguage(HttpContext context, RequestDelegate next)
    {
        // The page only: its script and styles (a few megabytes, under the same path) pass through unbuffered.
        if (!context.Request.Path.StartsWithSegments(ReferencePath) || System.IO.Path.HasExtension(context.Request.Path.Value))
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        if (context.Response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
        {
            var html = System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            var bytes = System.Text.Encoding.UTF8.GetBytes(html.Replace("<html>", "<html lang=\"en\">", StringComparison.Ordinal));
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes);
            return;
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original);
    }
}
