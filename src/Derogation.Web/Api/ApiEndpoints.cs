using System.Text.Json;
using System.Text.Json.Serialization;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Documents;
using Derogation.Core.Review;
using Derogation.Web.Accounts;
using Derogation.Web.Applications;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace Derogation.Web.Api;

/// <summary>
/// /api/v1 (docs/api.md): what a filer does in the wizard, for their own systems — list and read the organisation's
/// applications (the pages' visibility, <see cref="ApplicationAccess"/>), create a draft, set a section (the wizard's
/// validators and messages), upload a document (the same checks), submit, download the receipt and the letter — and,
/// for anyone, the public register and the verification of a letter's code. Every rule is the pages' own service.
/// </summary>
public static class ApiEndpoints
{
    /// <summary>The section names in the address, as the JSON clients know them, and the wizard step each fills.</summary>
    public static readonly IReadOnlyDictionary<string, string> SectionSteps = new Dictionary<string, string>
    {
        ["parties"] = StepNames.Parties,
        ["device"] = StepNames.Device,
        ["non-compliance"] = StepNames.NonCompliance,
        ["patient"] = StepNames.Patient,
        ["health-professionals"] = StepNames.HealthProfessionals,
        ["global-scope"] = StepNames.GlobalScope,
        ["earlier-derogations"] = StepNames.EarlierDerogations,
        ["safety"] = StepNames.Safety,
        ["declarations"] = StepNames.Declarations,
    };

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public static void MapPortalApi(this WebApplication app)
    {
        var api = app.MapGroup("/api/v1")
            .RequireRateLimiting(ApiAccess.RateLimit)
            .AddEndpointFilter(async (context, next) =>
            {
                using var _ = ApiLanguage.Apply(context.HttpContext);
                return await next(context);
            });

        var filer = api.MapGroup("/applications").WithTags("Applications").RequireAuthorization(ApiAccess.Read)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status404NotFound);
        filer.MapGet("/", ListAsync).WithName("ListApplications").WithSummary("The organisation's applications, drafts included, most recently changed first, a page at a time (page, pageSize ≤ 500, status).");
        filer.MapGet("/{key}", ReadAsync).WithName("GetApplication").WithSummary("One application by its reference (or a draft by its id): status, sections, documents, decision.");
        filer.MapGet("/{reference}/receipt", (string reference, DerogationDbContext db, HttpContext http, IStringLocalizer<SharedResource> l) =>
                IssuedAsync(reference, IssuedDocumentKind.DepositReceipt, db, http, l))
            .WithName("GetReceipt").WithSummary("The deposit receipt, as issued (PDF).").Produces(200, contentType: "application/pdf");
        filer.MapGet("/{reference}/letter", (string reference, DerogationDbContext db, HttpContext http, IStringLocalizer<SharedResource> l) =>
                IssuedAsync(reference, IssuedDocumentKind.DecisionLetter, db, http, l))
            .WithName("GetLetter").WithSummary("The decision letter, as issued (PDF).").Produces(200, contentType: "application/pdf");

        var write = api.MapGroup("/applications").WithTags("Applications").RequireAuthorization(ApiAccess.Write)
            .ProducesProblem(StatusCodes.Status401Unauthorized).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict).ProducesValidationProblem(StatusCodes.Status422UnprocessableEntity);
        write.MapPost("/", CreateAsync).WithName("CreateDraft").WithSummary("A new individual or global draft.");
        write.MapPut("/{id:guid}/sections/{section}", SetSectionAsync).WithName("SetSection")
            .WithSummary("Replaces one section of a draft, checked as the wizard checks it (format and the patient rules refuse it; what is still missing is listed).")
            .Accepts<JsonElement>("application/json");
        write.MapPost("/{id:guid}/documents", UploadAsync).WithName("UploadDocument")
            .WithSummary("Adds a document to a draft (multipart: file, type, anonymised, datesAcknowledged), checked by content, antivirus and the patient rules.")
            .DisableAntiforgery();
        write.MapPost("/{id:guid}/submit", SubmitAsync).WithName("Submit").WithSummary("Submits a complete draft; the answer carries its reference.");

        var open = api.MapGroup("").WithTags("Public");
        open.MapGet("/register", async (string? search, PublicRegister register) => TypedResults.Ok(await register.ListAsync(search)))
            .WithName("Register").WithSummary("The public register of granted global derogations.");
        open.MapGet("/verification/{code}", VerifyAsync).WithName("VerifyLetter").WithSummary("Whether a letter's verification code is genuine, and what it certifies.");
    }

    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;

    public sealed record ApplicationPage(int Total, int Page, int PageSize, IReadOnlyList<ApplicationSummary> Items);

    /// <summary>A page of the organisation's applications, most recently changed first, optionally of one status.</summary>
    private static async Task<Results<Ok<ApplicationPage>, ProblemHttpResult>> ListAsync(
        HttpContext http, DerogationDbContext db, IStringLocalizer<SharedResource> l, int? page, int? pageSize, ApplicationStatus? status)
    {
        var size = pageSize ?? DefaultPageSize;
        var number = page ?? 1;
        if (size is < 1 or > MaxPageSize)
        {
            return ApiProblems.Invalid(l, "pageSize", l["ApiPageSizeInvalid", MaxPageSize].Value);
        }

        if (number < 1)
        {
            return ApiProblems.Invalid(l, "page", l["ApiPageInvalid"].Value);
        }

        var (total, items) = await db.PageAsync(http.User.AsViewer(), number, size, status);
        return TypedResults.Ok(new ApplicationPage(total, number, size, items));
    }

    public sealed record DocumentSummary(Guid Id, DocumentType Type, string FileName, string ContentType, long SizeBytes, string Sha256, DateTimeOffset UploadedAt);

    public sealed record DecisionSummary(DecisionOutcome Outcome, DateTimeOffset DecidedAt, DateOnly? ValidFrom, DateOnly? ValidUntil, string? LetterUrl);

    public sealed record ApplicationDetail(ApplicationSummary Application, Dictionary<string, object> Sections, IReadOnlyList<DocumentSummary> Documents,
        IReadOnlyList<string> IncompleteSections, string? ReceiptUrl, DecisionSummary? Decision);

    private static async Task<Results<Ok<ApplicationDetail>, ProblemHttpResult>> ReadAsync(
        string key, HttpContext http, DerogationDbContext db, RuleContext rules, IStringLocalizer<SharedResource> l)
    {
        var application = await db.Applications.AsNoTracking().FindVisibleAsync(key, http.User.AsViewer());
        if (application is null)
        {
            return ApiProblems.NotFound(l);
        }

        var decision = application.Reference is null ? null
            : await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == application.Id).OrderByDescending(d => d.Version).FirstOrDefaultAsync();
        var steps = WizardSteps.For(application.Kind);
        var sections = SectionSteps.Where(s => steps.Any(step => step.Name == s.Value))
            .ToDictionary(s => s.Key, s => steps.Single(step => step.Name == s.Value).Section(application.Answers));
        var incomplete = application.Status == ApplicationStatus.Draft
            ? steps.Where(step => !step.Validate(application.Answers, rules, true).IsValid).Select(step => SectionOf(step.Name)).ToList()
            : [];
        var reference = application.Reference;
        return TypedResults.Ok(new ApplicationDetail(
            Summary(application),
            sections,
            application.Answers.Documents.Select(d => new DocumentSummary(d.Id, d.Type, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedAt)).ToList(),
            incomplete,
            reference is null ? null : $"/api/v1/applications/{reference}/receipt",
            decision is null ? null : new DecisionSummary(decision.Outcome, decision.DecidedAt, decision.Conditions.ValidFrom, decision.Conditions.ValidUntil,
                decision.LetterDocumentId is null ? null : $"/api/v1/applications/{reference}/letter")));
    }

    private static ApplicationSummary Summary(Application a) => new(a.Id, a.Reference, a.Kind, a.Status, a.DeviceName, a.CreatedAt, a.UpdatedAt, a.SubmittedAt);

    /// <summary>The section name a client knows for a wizard step ("documents" has no JSON section).</summary>
    private static string SectionOf(string stepName) => SectionSteps.FirstOrDefault(s => s.Value == stepName).Key ?? stepName.ToLowerInvariant();

    public sealed record CreateDraftRequest(ApplicationKind? Kind, Guid? ManufacturerId);

    private static async Task<Results<Created<ApplicationSummary>, ProblemHttpResult>> CreateAsync(
        CreateDraftRequest? request, HttpContext http, ApplicationDrafts drafts, IStringLocalizer<SharedResource> l)
    {
        if (request?.Kind is not { } kind)
        {
            return ApiProblems.Invalid(l, "kind", l["ApiKindRequired"].Value);
        }

        var (error, draft) = await drafts.CreateAsync(kind, http.User.AsViewer(), request.ManufacturerId);
        return error switch
        {
            DraftError.None => TypedResults.Created($"/api/v1/applications/{draft!.Id}", Summary(draft)),
            _ => ApiProblems.Problem(l, StatusCodes.Status409Conflict, "ApiDraftRefused" + error),
        };
    }

    public sealed record SectionSaved(string Section, bool Complete, Dictionary<string, string[]> Missing);

    private static async Task<Results<Ok<SectionSaved>, ProblemHttpResult>> SetSectionAsync(
        Guid id, string section, HttpContext http, ApplicationDrafts drafts, RuleContext rules, IStringLocalizer<SharedResource> l)
    {
        var draft = await drafts.FindEditableAsync(id, http.User.AsViewer());
        if (draft is null || !SectionSteps.TryGetValue(section, out var stepName) || WizardSteps.Find(draft.Kind, stepName) is not { } step)
        {
            return ApiProblems.NotFound(l);
        }

        object? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync(http.Request.Body, Sections.TypeOf(stepName)!, Json);
        }
        catch (JsonException exception)
        {
            // The path of the value that could not be read ("$.yearOfBirth"), without echoing the value itself.
            var field = exception.Path is { Length: > 1 } path ? path.TrimStart('$', '.') : "";
            return ApiProblems.Invalid(l, field, l["ApiUnreadableValue"].Value);
        }

        if (body is null)
        {
            return ApiProblems.Invalid(l, "", l["ApiBodyRequired"].Value);
        }

        // Checked as "save for later" checks a step (format and the patient rules); completeness is reported, not required.
        var answers = AnswersJson.Copy(draft.Answers);
        Sections.Write(answers, stepName, body);
        var check = step.Validate(answers, rules, false);
        if (!check.IsValid)
        {
            return ApiProblems.Invalid(l, check.Errors);
        }

        Sections.Write(draft.Answers, stepName, body);
        try
        {
            var saved = await drafts.SaveAsync(draft);
            if (saved != DraftError.None)
            {
                return ApiProblems.Problem(l, StatusCodes.Status409Conflict, "ApiDraftRefused" + saved);
            }
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblems.Problem(l, StatusCodes.Status409Conflict, "ApiChangedElsewhere");
        }

        var completeness = step.Validate(draft.Answers, rules, true);
        return TypedResults.Ok(new SectionSaved(section, completeness.IsValid,
            completeness.Errors.GroupBy(f => ApiProblems.Field(null, f.PropertyName)).ToDictionary(g => g.Key, g => g.Select(f => f.ErrorMessage).Distinct().ToArray())));
    }

    private static async Task<Results<Created<DocumentSummary>, ProblemHttpResult>> UploadAsync(
        Guid id, HttpContext http, ApplicationDrafts drafts, DocumentStore store, DocumentOptions options, IStringLocalizer<SharedResource> l)
    {
        var draft = await drafts.FindEditableAsync(id, http.User.AsViewer());
        if (draft is null)
        {
            return ApiProblems.NotFound(l);
        }

        if (!http.Request.HasFormContentType)
        {
            return ApiProblems.Invalid(l, "file", l["DocumentFileRequired"].Value);
        }

        var form = await http.Request.ReadFormAsync();
        if (!Enum.TryParse<DocumentType>(form["type"], ignoreCase: false, out var type) || !Enum.IsDefined(type))
        {
            return ApiProblems.Invalid(l, "type", l["DocumentTypeRequired"].Value);
        }

        if (form.Files.GetFile("file") is not { } file)
        {
            return ApiProblems.Invalid(l, "file", l["DocumentFileRequired"].Value);
        }

        await using var content = file.OpenReadStream();
        UploadResult result;
        try
        {
            result = await store.AddAsync(draft, type, file.FileName, content, form["anonymised"] == "true", form["datesAcknowledged"] == "true",
                http.User.UserId(), null, http.RequestAborted);
        }
        catch (DbUpdateConcurrencyException)
        {
            return ApiProblems.Problem(l, StatusCodes.Status409Conflict, "ApiChangedElsewhere");
        }

        if (result.Refusal is { } refusal)
        {
            var field = refusal.Error switch
            {
                UploadError.AnonymisationNotConfirmed => "anonymised",
                UploadError.DatesToAcknowledge => "datesAcknowledged",
                UploadError.NotForThisKindOfApplication => "type",
                _ => "file",
            };
            return refusal.Error == UploadError.ScannerUnavailable
                ? ApiProblems.Problem(l, StatusCodes.Status503ServiceUnavailable, "DocumentScannerUnavailable")
                : ApiProblems.Invalid(l, field, UploadErrors.Message(l, refusal, options));
        }

        var d = result.Document!;
        return TypedResults.Created($"/api/v1/applications/{id}", new DocumentSummary(d.Id, d.Type, d.FileName, d.ContentType, d.SizeBytes, d.Sha256, d.UploadedAt));
    }

    public sealed record Submitted(string Reference, ApplicationStatus Status, string ReceiptUrl);

    private static async Task<Results<Ok<Submitted>, Created<Submitted>, ProblemHttpResult>> SubmitAsync(
        Guid id, HttpContext http, ApplicationSubmission submission, RuleContext rules, IStringLocalizer<SharedResource> l)
    {
        var result = await submission.SubmitAsync(id, http.User.AsViewer(), null, rules);
        Submitted Of(Application a) => new(a.Reference!, a.Status, $"/api/v1/applications/{a.Reference}/receipt");
        return result.Outcome switch
        {
            SubmissionOutcome.Submitted => TypedResults.Created($"/api/v1/applications/{result.Application!.Reference}", Of(result.Application)),
            // Submitted already (a retry): the same answer, nothing done twice.
            SubmissionOutcome.AlreadySubmitted => TypedResults.Ok(Of(result.Application!)),
            SubmissionOutcome.Incomplete => ApiProblems.Invalid(
                (result.Missing ?? []).GroupBy(m => ApiProblems.Field(SectionOf(m.Step.Name), m.Failure.PropertyName))
                    .ToDictionary(g => g.Key, g => g.Select(m => m.Failure.ErrorMessage).Distinct().ToArray()),
                l["SubmissionIncomplete"].Value, "demande-incomplete"),
            SubmissionOutcome.NoMandateInForce => ApiProblems.Problem(l, StatusCodes.Status409Conflict, "ApiDraftRefusedNoMandateInForce"),
            _ => ApiProblems.NotFound(l),
        };
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> IssuedAsync(
        string reference, IssuedDocumentKind kind, DerogationDbContext db, HttpContext http, IStringLocalizer<SharedResource> l)
    {
        var issued = await db.Applications.AsNoTracking().VisibleTo(http.User.AsViewer())
            .Where(a => a.Reference == reference.ToUpperInvariant())
            .Join(db.IssuedDocuments.Where(d => d.Kind == kind), a => a.Id, d => d.ApplicationId, (_, d) => d)
            .OrderByDescending(d => d.CreatedAt)
            .FirstOrDefaultAsync();
        return issued is null ? ApiProblems.NotFound(l) : TypedResults.File(issued.Content, "application/pdf", issued.FileName);
    }

    public sealed record Verification(string Code, bool Genuine, string? Reference, ApplicationKind? Kind, string? Decision, ApplicationStatus? Status,
        DateTimeOffset? DecidedAt, string? Manufacturer, string? Device, string? LetterSha256, DateOnly? StartsOn, IReadOnlyList<LetterRectifier> RectifiedBy);

    private static async Task<Results<Ok<Verification>, ProblemHttpResult>> VerifyAsync(string code, LetterVerification verification, IStringLocalizer<SharedResource> l)
    {
        var found = await verification.FindAsync(code);
        if (found.Letter is not { } letter)
        {
            return ApiProblems.NotFound(l);
        }

        return TypedResults.Ok(new Verification(found.Code, true, letter.Reference, letter.Kind, l[letter.DecisionKey].Value, letter.Status, letter.DecidedAt,
            letter.Manufacturer, letter.Device, letter.Sha256, found.StartsOn, found.RectifiedBy));
    }
}
