using Derogation.Core.Accounts;
using Derogation.Core.Data;
using Derogation.Core.Mandates;
using Derogation.Core.Notifications;
using Derogation.Web.Accounts;
using Derogation.Web.Hosting;
using Derogation.Web.Localization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

// One message per field: the first rule a field fails says what to fix; "invalid" after "missing" adds nothing.
FluentValidation.ValidatorOptions.Global.DefaultRuleLevelCascadeMode = FluentValidation.CascadeMode.Stop;


var builder = WebApplication.CreateBuilder(args);

builder.AddPortalLogging();
builder.AddPortalTelemetry();
var connectionString = await builder.AddPortalDatabaseAsync();
builder.Services.AddSingleton(new PortalConnectionString(connectionString));
builder.Services.AddSingleton(TimeProvider.System);

builder.Services.AddPortalLocalization();
builder.Services.AddRazorPages(options =>
    {
        options.Conventions.AuthorizeFolder("/Organisation", AccessPolicies.OrganisationAdministrator);
        options.Conventions.AuthorizeFolder("/Mandats", AccessPolicies.Filer);
        options.Conventions.AuthorizeFolder("/Demandes", AccessPolicies.Filer);
        options.Conventions.AuthorizeFolder("/Admin", AccessPolicies.Administrator);
        options.Conventions.AuthorizeFolder("/Instruction", AccessPolicies.Ansm);
        options.Conventions.AuthorizeFolder("/Avis", AccessPolicies.Consulted);
        options.Conventions.AuthorizePage("/Compte/DoubleAuthentification");
        options.Conventions.AuthorizePage("/Compte/Jetons", AccessPolicies.Filer);
    })
    .AddViewLocalization()
    .AddMvcOptions(options =>
    {
        // Our validators name each field and its fix; MVC's implicit English "field is required" would repeat them.
        options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
    });
builder.Services.AddOptions<Microsoft.AspNetCore.Mvc.MvcOptions>()
    .Configure<Microsoft.Extensions.Localization.IStringLocalizer<Derogation.Web.SharedResource>>((options, l) =>
    {
        // What the model binder says when a value cannot be read (a date typed as text, say), in the user's language.
        options.ModelBindingMessageProvider.SetAttemptedValueIsInvalidAccessor((value, field) => Derogation.Web.Forms.BindingMessages.Invalid(l, value, field));
        options.ModelBindingMessageProvider.SetValueIsInvalidAccessor(value => l["ValueInvalid", value]);
        options.ModelBindingMessageProvider.SetValueMustNotBeNullAccessor(_ => l["ValueRequired"]);
        options.ModelBindingMessageProvider.SetMissingBindRequiredValueAccessor(_ => l["ValueRequired"]);
    });
// Every page declares its own lower-case address; generated links keep route values as they are (DIV-2026-00042, not div-2026-00042).
builder.Services.Configure<RouteOptions>(options => options.LowercaseUrls = false);

builder.Services.AddSingleton<DatabaseXmlRepository>();
builder.Services.AddDataProtection().SetApplicationName("Derogation");
builder.Services.AddOptions<KeyManagementOptions>()
    .Configure<IServiceProvider>((options, services) => options.XmlRepository = services.GetRequiredService<DatabaseXmlRepository>());

builder.Services.AddIdentity<PortalUser, IdentityRole<Guid>>(options =>
    {
        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedEmail = true;
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Lockout.MaxFailedAccessAttempts = 5;
        options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
        options.Lockout.AllowedForNewUsers = true;
    })
    .AddEntityFrameworkStores<DerogationDbContext>()
    .AddDefaultTokenProviders()
    .AddClaimsPrincipalFactory<PortalClaimsFactory>();
builder.Services.ConfigureApplicationCookie(options =>
{
    options.Cookie.Name = "derogation.auth";
    options.Cookie.HttpOnly = true;
    options.Cookie.SameSite = SameSiteMode.Lax;
    options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
    options.LoginPath = "/compte/connexion";
    options.LogoutPath = "/compte/deconnexion";
    options.AccessDeniedPath = "/erreur/404";
    options.ReturnUrlParameter = "retour";
    options.ExpireTimeSpan = TimeSpan.FromHours(8);
    options.SlidingExpiration = true;
    // Identity re-checks a session every 30 minutes; here every signed-in request compares the cookie's security
    // stamp with the account's (AccountPresence): sign-out, removal, password reset end every session at once.
    options.Events.OnValidatePrincipal = async context =>
    {
        await SecurityStampValidator.ValidatePrincipalAsync(context);
        var userId = context.Principal?.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
        if (userId is null)
        {
            return;
        }

        var presence = context.HttpContext.RequestServices.GetRequiredService<AccountPresence>();
        var stamp = context.Principal?.FindFirst(new IdentityOptions().ClaimsIdentity.SecurityStampClaimType)?.Value;
        if (!Guid.TryParse(userId, out var id) || !await presence.IsCurrentAsync(id, stamp))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
        }
    };
});
builder.Services.Configure<SecurityStampValidatorOptions>(options =>
    // Every 30 minutes Identity rebuilds the principal from the database; the fact that this session signed in
    // with its second factor lives only in the cookie and must survive, or ANSM staff would be sent back to set it up.
    options.OnRefreshingPrincipal = context =>
    {
        var secondFactor = context.CurrentPrincipal?.FindFirst(PortalClaims.AuthenticationMethod);
        if (secondFactor is not null && context.NewPrincipal?.Identity is System.Security.Claims.ClaimsIdentity identity
            && !identity.HasClaim(PortalClaims.AuthenticationMethod, secondFactor.Value))
        {
            identity.AddClaim(new System.Security.Claims.Claim(PortalClaims.AuthenticationMethod, secondFactor.Value));
        }

        return Task.CompletedTask;
    });
builder.Services.AddAuthorization(options => options.AddPortalPolicies());
builder.Services.AddSingleton<IAuthorizationHandler, SecondFactorHandler>();
builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, PortalAuthorizationResultHandler>();
builder.Services.AddAccountRateLimits(builder.Configuration);
Derogation.Web.Api.ApiAccess.AddPortalApiAccess(builder.Services, builder.Configuration);
// The API speaks enums as their names ("Individual", "Submitted"), as its OpenAPI document says.
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
builder.Services.AddOpenApi("v1", options => Derogation.Web.Api.ApiDocument.Configure(options));
builder.Services.AddPortalForwardedHeaders(builder.Configuration);
builder.Services.AddAntiforgery(options =>
{
    options.Cookie.Name = "derogation.antiforgery";
    options.FormFieldName = "__RequestVerificationToken";
});

var mailOptions = builder.Configuration.GetSection("Mail").Get<MailOptions>() ?? new MailOptions();
if (builder.Environment.IsDevelopment() && string.IsNullOrEmpty(mailOptions.PickupDirectory) && string.IsNullOrEmpty(mailOptions.SmtpHost))
{
    // Development: e-mails are written as .eml files beside the local database.
    mailOptions.PickupDirectory = Path.Combine(builder.Environment.ContentRootPath, ".data", "mail");
}

builder.Services.AddSingleton(mailOptions);
builder.Services.AddSingleton<IMailSender, SmtpMailSender>();
builder.Services.AddScoped<AccountEmails>();
builder.Services.AddHttpContextAccessor();
builder.Services.AddSingleton<Derogation.Web.Navigation.PortalAddress>();
builder.Services.AddSingleton<Derogation.Web.Navigation.PortalLinks>();
builder.Services.AddSingleton<Derogation.Core.Navigation.IPortalLinks>(services => services.GetRequiredService<Derogation.Web.Navigation.PortalLinks>());
builder.Services.AddMemoryCache();
builder.Services.AddSingleton<AccountPresence>();
builder.Services.AddScoped<AccountService>();
builder.Services.AddScoped<Derogation.Core.Accounts.AccountAudit>();
builder.Services.AddScoped<MandateService>();
builder.Services.AddScoped<Derogation.Core.Applications.ApplicationDrafts>();
builder.Services.AddSingleton<Derogation.Core.Applications.RememberedDrafts>();
builder.Services.AddScoped<Derogation.Core.Applications.ApplicationSubmission>();
builder.Services.AddScoped<Derogation.Core.Review.ReviewQueue>();
builder.Services.AddScoped<Derogation.Core.Review.DecisionService>();
builder.Services.AddScoped<Derogation.Core.Applications.ApplicationWithdrawal>();
builder.Services.AddScoped<Derogation.Core.Review.InformationRequests>();
builder.Services.AddScoped<Derogation.Core.Issuing.LetterIssuer>();
builder.Services.AddScoped<Derogation.Core.Review.Proposals>();
builder.Services.AddScoped<Derogation.Core.Review.ProposalInputValidator>();
builder.Services.AddScoped<Derogation.Core.Review.InternalNotes>();
builder.Services.AddScoped<Derogation.Core.Issuing.LetterWordings>();
builder.Services.AddScoped<Derogation.Core.Review.UsageDeclarations>();
builder.Services.AddScoped<Derogation.Core.Incidents.IncidentReports>();
builder.Services.AddScoped<Derogation.Core.Review.AnnualRecaps>();
builder.Services.AddScoped<Derogation.Core.Review.PublicRegister>();
builder.Services.AddScoped<Derogation.Core.Review.EarlierApplications>();
builder.Services.AddScoped<Derogation.Core.Review.Assessments>();
builder.Services.AddScoped<Derogation.Core.Review.ActivityStatistics>();
builder.Services.AddScoped<Derogation.Core.Review.ExpertOpinions>();
builder.Services.AddScoped<Derogation.Core.Review.CaseMessages>();
builder.Services.AddScoped<Derogation.Core.Review.EuNotifications>();
builder.Services.AddScoped<Derogation.Core.Review.LetterVerification>();
builder.Services.AddSingleton(new Derogation.Core.Accounts.ApiCallerMemory(TimeSpan.FromSeconds(Math.Max(0, builder.Configuration.GetValue("Api:TokenMemorySeconds", 2)))));
builder.Services.AddScoped<Derogation.Core.Accounts.ApiTokens>();
builder.Services.AddSingleton(builder.Configuration.GetSection("ExpertOpinions").Get<Derogation.Core.Review.ExpertOpinionOptions>() ?? new());
builder.Services.AddScoped<Derogation.Core.Review.ExpiryService>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Retention").Get<Derogation.Core.Applications.RetentionOptions>() ?? new());
builder.Services.AddScoped<Derogation.Core.Applications.Retention>();
builder.Services.AddScoped<Derogation.Core.Applications.PrescriberPart>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Prescribers").Get<Derogation.Core.Applications.PrescriberOptions>() ?? new());
builder.Services.AddScoped<Derogation.Core.Organisations.OrganisationVerification>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Expiry").Get<Derogation.Core.Review.ExpiryOptions>() ?? new());
builder.Services.AddSingleton(builder.Configuration.GetSection("InformationRequests").Get<Derogation.Core.Review.InformationRequestOptions>() ?? new());
builder.Services.AddHostedService<Derogation.Web.Notifications.ExpiryWorker>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Letters").Get<Derogation.Core.Issuing.LetterOptions>() ?? new());
builder.Services.AddScoped<OutboxSender>();
builder.Services.AddSingleton<OutboxSignal>();
builder.Services.AddHostedService<Derogation.Web.Notifications.OutboxWorker>();
builder.Services.AddScoped<Derogation.Web.Applications.AnswersPresenter>();
builder.Services.AddScoped<Derogation.Web.Applications.VersionComparison>();
builder.Services.AddSingleton(builder.Configuration.GetSection("ReviewTargets").Get<Derogation.Core.Applications.ReviewTargets>() ?? new());
builder.Services.AddSingleton(builder.Configuration.GetSection("ReviewAlerts").Get<Derogation.Core.Review.ReviewAlertOptions>() ?? new());
builder.Services.AddSingleton<Derogation.Core.Review.UntakenVitalEmergencyCount>();
builder.Services.AddScoped<Derogation.Core.Review.ReviewAlerts>();
builder.Services.AddHostedService<Derogation.Web.Notifications.ReviewAlertWorker>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Applications").Get<Derogation.Core.Applications.ApplicationRules>() ?? new());
builder.Services.AddScoped(services => new Derogation.Core.Applications.RuleContext(
    services.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<Derogation.Core.CoreText>>(),
    services.GetRequiredService<TimeProvider>(),
    services.GetRequiredService<Derogation.Core.Applications.ApplicationRules>()));
var documentOptions = builder.Configuration.GetSection("Documents").Get<Derogation.Core.Documents.DocumentOptions>() ?? new();
builder.Services.AddSingleton(documentOptions);
builder.Services.AddScoped<Derogation.Core.Documents.DocumentStore>();
// Uploads up to the document limit (plus the form's other fields) stream to temporary files, never to memory;
// a larger request is cut off while it streams in.
// Several files may be chosen at once, together up to the size of one document.
var largestRequest = documentOptions.MaxFileBytes + (1024 * 1024);
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = largestRequest);
builder.Services.Configure<Microsoft.AspNetCore.Http.Features.FormOptions>(form => form.MultipartBodyLengthLimit = largestRequest);
await builder.AddPortalAntivirusAsync();

var auditAnchoring = builder.Configuration.GetSection("AuditAnchoring").Get<Derogation.Core.Audit.AuditAnchoringOptions>() ?? new();
builder.Services.AddSingleton(auditAnchoring);
builder.Services.AddHttpClient<Derogation.Core.Audit.AuditAnchoring>(client => client.Timeout = TimeSpan.FromSeconds(30));
builder.Services.AddHostedService<Derogation.Web.Notifications.AuditAnchorWorker>();
builder.Services.AddSingleton(builder.Configuration.GetSection("Webhooks").Get<WebhookOptions>() ?? new());
builder.Services.AddScoped<Webhooks>();
// Ten seconds for a receiver to answer; redirects are not followed (the registered address is the one signed for).
builder.Services.AddHttpClient<WebhookSender>(client => client.Timeout = TimeSpan.FromSeconds(10))
    .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false });
builder.Services.AddHostedService<Derogation.Web.Notifications.WebhookWorker>();

builder.Services.AddHealthChecks()
    .AddCheck<DatabaseReadyHealthCheck>("database", tags: ["ready"])
    .AddCheck<AuditChainHealthCheck>("audit-chain", tags: ["ready"]);

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
await using (var scope = app.Services.CreateAsyncScope())
{
    await AccountService.EnsureReferenceDataAsync(
        scope.ServiceProvider.GetRequiredService<DerogationDbContext>(),
        scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole<Guid>>>(),
        TimeProvider.System);
    if (app.Environment.IsDevelopment())
    {
        await DemoData.SeedAsync(scope.ServiceProvider);
    }
}

// First: behind the TLS-terminating proxy, the client's address and scheme are the ones it forwards (known proxies only).
app.UseForwardedHeaders();
app.UseMiddleware<RequestTracing>();
app.UsePortalRequestLogging();
app.UseMiddleware<SecurityHeaders>();
// Documents, receipts and letters (anything served as a file) are never kept in a browser's or a proxy's cache:
// they concern a patient or a manufacturer, and a shared computer must not keep them.
app.Use((context, next) =>
{
    context.Response.OnStarting(() =>
    {
        if (context.Response.Headers.ContentDisposition.Count > 0 || context.Response.ContentType?.StartsWith("application/pdf", StringComparison.Ordinal) == true)
        {
            context.Response.Headers.CacheControl = "no-store";
        }

        return Task.CompletedTask;
    });
    return next(context);
});
app.UseExceptionHandler(new ExceptionHandlerOptions
{
    ExceptionHandlingPath = "/erreur",
    // PostgreSQL unreachable: a 503 that says to come back shortly (Retry-After), not "unexpected error".
    StatusCodeSelector = exception => DatabaseOutage.IsOutage(exception) ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError,
});
app.UseStatusCodePagesWithReExecute("/erreur/{0}");
app.UseMiddleware<MalformedInput>();
// The API answers with problem details, never with the HTML error pages.
app.Use((context, next) =>
{
    if (context.Request.Path.StartsWithSegments("/api") && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusPages)
    {
        statusPages.Enabled = false;
    }

    return next(context);
});
// A request announcing more than the largest upload is refused before anything reads it (the 413 page says
// why); one that does not announce its length is cut off by Kestrel's limit as it streams in.
app.Use((context, next) =>
{
    if (context.Request.ContentLength > largestRequest && context.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return Task.CompletedTask;
    }

    return next(context);
});
if (!app.Environment.IsDevelopment())
{
    app.UseHsts();
    app.UseHttpsRedirection();
}

app.UseStaticFiles();
app.UseRequestLocalization(app.Services.GetRequiredService<IOptions<RequestLocalizationOptions>>().Value);
app.UseRouting();
app.RememberRoute();
app.UseRateLimiter();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapHealthChecks("/health", new HealthCheckOptions { Predicate = _ => false });
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready"), ResponseWriter = ReadinessResponse.WriteAsync });
app.MapLanguageSwitch();
Derogation.Web.Register.RegisterExports.MapRegisterExports(app);
Derogation.Web.Api.ApiEndpoints.MapPortalApi(app);
Derogation.Web.Api.ApiDocument.MapApiDocument(app);
app.MapRazorPages();

app.Lifetime.ApplicationStarted.Register(() => StartupBanner.Print(app));

await app.RunAsync();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
