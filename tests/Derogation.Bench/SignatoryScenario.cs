using System.Net;
using System.Text.RegularExpressions;
using Derogation.Core.Applications;
using Derogation.Core.Data;
using Derogation.Core.Review;
using Microsoft.EntityFrameworkCore;

namespace Derogation.Bench;

/// <summary>
/// The signatory's two pages. Prepared first: individual applications under review, held by the demo reviewer, each
/// with a grant proposed to the demo signatory (answers as a real filing has them: device, patient initials, prescriber,
/// establishment; the version frozen at submission; the assessment grid complete). Then "À signer" read by <see cref="Readers"/> signed-in sessions of the signatory at once, beside the
/// page's own query (captured from EF Core) replayed with Npgsql; and the signature itself, one after the other as a
/// signatory works: the signature page opened, then signed (the decision, the PDF letter with its copies, the audit
/// event, the e-mails queued, in one transaction).
/// </summary>
public static partial class SignatoryScenario
{
    public const int Readers = 4;
    private const string Email = "signataire@demo.test";

    public static async Task<IReadOnlyList<Row>> RunAsync(PortalProcess portal, BenchDatabase database, int requests, int signatures)
    {
        const int warmUp = 5;
        var (signatoryId, references) = await PrepareAsync(database.ConnectionString, signatures + warmUp);
        var readers = new List<HttpClient>();
        for (var i = 0; i < Readers; i++)
        {
            readers.Add(await PortalClient.SignedInAsync(portal.Address, Email, Drafts.Password));
        }

        var list = await Load.RunAsync("signatory's list", Readers, requests, async (worker, _) =>
        {
            var html = await readers[worker].GetStringAsync("/instruction/signatures");
            if (!html.Contains(references[^1], StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The signatory's list does not show a proposal waiting for them.");
            }
        }, otherProcessCpu: portal.CpuTime);
        var commands = await QueueScenario.CaptureAsync(database.ConnectionString, db => Proposals.Waiting(db, signatoryId).ToListAsync());
        var listFloor = await Load.RunAsync("signatory's list SQL", Readers, requests, async (_, _) => await QueueScenario.ExecuteAsync(database.ConnectionString, commands));
        Console.WriteLine($"The signatory's list holds {references.Count} proposals; its query (EXPLAIN ANALYZE):");
        Console.WriteLine(await QueueScenario.ExplainAsync(database.ConnectionString, commands));

        var signatory = readers[0];
        var next = -1;
        var signed = await Load.RunAsync("signature", 1, signatures, async (_, _) =>
        {
            var reference = references[Interlocked.Increment(ref next)];
            var page = await signatory.GetStringAsync($"/instruction/{reference}/signature");
            var response = await signatory.PostAsync($"/instruction/{reference}/signature?handler=Sign", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = PortalClient.Token(page),
                ["Revision"] = RevisionPattern().Match(page).Groups[1].Value,
                // The seeded manufacturers are not verified: the signatory confirms it, as the page asks.
                ["ConfirmUnverifiedManufacturer"] = "true",
            }));
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                var html = await response.Content.ReadAsStringAsync();
                await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), "derogation-bench-signature.html"), html);
                var errors = Regex.Matches(html, "class=\"fr-(?:error-text|message--error)[^\"]*\"[^>]*>([^<]+)<").Select(m => m.Groups[1].Value.Trim());
                throw new InvalidOperationException($"The signature of {reference} was refused ({(int)response.StatusCode}): {string.Join(" / ", errors)}");
            }
        }, warmUp: warmUp, untilSteady: false);
        readers.ForEach(r => r.Dispose());

        return
        [
            Row.Latency($"signatory's list \"À signer\", {references.Count} proposals, {Readers} sessions", list, listFloor, targetP95: 100),
            new Row("signature: the page opened, then signed (decision, PDF letter and copies, audit, e-mails queued), one after the other",
                "signatures/s · p50/p95/p99 ms", $"{Row.Format(signed.Throughput)} · {Row.Format(signed.P50)}/{Row.Format(signed.P95)}/{Row.Format(signed.P99)}",
                "— (the letter alone: the letter row)", "p95 ≤ 500 ms", signed.P95 <= 500),
        ];
    }

    /// <summary>Grants proposed to the demo signatory on individual applications under review, held by the demo reviewer.</summary>
    private static async Task<(Guid SignatoryId, List<string> References)> PrepareAsync(string connectionString, int count)
    {
        await using var db = new DerogationDbContext(DerogationDbContext.Options(connectionString));
        var signatory = await db.Users.SingleAsync(u => u.NormalizedEmail == Email.ToUpperInvariant());
        var reviewer = await db.Users.SingleAsync(u => u.NormalizedEmail == "EVALUATEUR@DEMO.TEST");
        var applications = await db.Applications
            .Where(a => a.Status == ApplicationStatus.UnderReview && a.Kind == ApplicationKind.Individual && !db.Proposals.Any(p => p.ApplicationId == a.Id))
            .OrderBy(a => a.Reference).Take(count).ToListAsync();
        var now = DateTimeOffset.UtcNow;
        var today = DateOnly.FromDateTime(DateTime.Today);
        foreach (var application in applications)
        {
            application.Answers = LetterScenario.CaseAnswers(application.LegalBasis ?? LegalBasis.MedicalDevice, application.DeviceName ?? "Dispositif", "Modèle B", "REF-0042");
            application.AssignedReviewerId = reviewer.Id;
            // The version frozen at submission, which the decision refers to.
            db.Add(new ApplicationVersion { ApplicationId = application.Id, Version = 1, Answers = application.Answers, CreatedAt = now, CreatedByUserId = reviewer.Id });
            // A grant is argued criterion by criterion: the grid is complete, as the reviewer left it before proposing.
            foreach (var criterion in Assessments.CriteriaFor(application.Kind))
            {
                db.Add(new AssessmentEntry
                {
                    ApplicationId = application.Id, Criterion = criterion, Opinion = AssessmentOpinion.Favourable,
                    Comment = "Critère examiné : favorable au vu du dossier.", UpdatedByUserId = reviewer.Id, UpdatedAt = now,
                });
            }

            db.Proposals.Add(new Proposal
            {
                Id = Guid.NewGuid(), ApplicationId = application.Id, Act = ProposalAct.Decision, Outcome = DecisionOutcome.Grant,
                Reasons = "Considérant l'absence d'alternative marquée CE pour ce patient ;\nconsidérant que le bénéfice attendu l'emporte sur les risques.",
                Conditions = new DecisionConditions
                {
                    ValidFrom = today, ValidUntil = today.AddMonths(6), MaxPatients = 1,
                    FollowUp = "Déclarer tout incident à l'ANSM sans délai.", Restrictions = "Usage au sein du seul établissement désigné.",
                },
                OtherRecipients = [], SignatoryUserId = signatory.Id, ProposedByUserId = reviewer.Id, ProposedAt = now, UpdatedAt = now,
                Revision = 1, State = ProposalState.Pending,
            });
        }

        await db.SaveChangesAsync();
        return (signatory.Id, applications.Select(a => a.Reference!).ToList());
    }

    [GeneratedRegex("name=\"Revision\" value=\"(\\d+)\"")]
    private static partial Regex RevisionPattern();
}
