using Derogation.Core.Data;
using Derogation.Web.Hosting;
using Derogation.Web.Localization;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

var builder = WebApplication.CreateBuilder(args);

builder.AddPortalLogging();
var connectionString = await builder.AddPortalDatabaseAsync();
builder.Services.AddSingleton(new PortalConnectionString(connectionString));

builder.Services.AddPortalLocalization();
builder.Services.AddRazorPages()
    .AddViewLocalization()
    .AddDataAnnotationsLocalization(options =>
        options.DataAnnotationLocalizerProvider = (_, factory) => factory.Create(typeof(Derogation.Web.SharedResource)));

builder.Services.AddSingleton<DatabaseXmlRepository>();
builder.Services.AddDataProtection().SetApplicationName("Derogation");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IServiceProvider>((options, services) => options.XmlRepository = services.GetRequiredService<DatabaseXmlRepository>());

builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
    .AddCookie(options =>
    {
        options.Cookie.Name = "derogation.auth";
        options.Cookie.HttpOnly = true;
        options.Cookie.SameSite = SameSiteMode.Lax;
        options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        options.LoginPath = "/compte/connexion";
        options.LogoutPath = "/compte/deconnexion";
        options.AccessDeniedPath = "/erreur/404";
        options.ExpireTimeSpan = TimeSpan.FromHours(8);
        options.SlidingExpiration = true;
    });
builder.Services.AddAuthorization();
builder.Services.AddAntiforgery(options =>
{
    options.Cookie.Name = "derogation.antiforgery";
    options.FormFieldName = "__RequestVerificationToken";
});

builder.Services.AddHealthChecks().AddCheck<DatabaseReadyHealthCheck>("database", tags: ["ready"]);

if (!builder.Environment.IsDevelopment())
{
    builder.Services.AddHsts(options =>
    {
        options.MaxAge = TimeSpan.FromDays(365);
        options.IncludeSubDomains = true;
    });
}

var app = builder.Build();

// Every instance migrates at start-up; an advisory lock serialises them (docs/adr/0001).
await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(connectionString);

app.UseMiddleware<RequestTracing>();
app.UseMiddleware<SecurityHeaders>();
app.UseExceptionHandler("/erreur");
app.UseStatusCodePagesWithReExecute("/erreur/{0}");
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseStaticFiles();
app.UseRequestLocalization(app.Services.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value);
app.UseRouting();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
app.MapLanguageSwitch();
app.MapRazorPages();

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));

await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
