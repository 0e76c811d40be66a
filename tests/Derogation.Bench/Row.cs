using System.Globalization;

namespace Derogation.Bench;

/// <summary>One line of the report: the measure, its floor measured in the same run, the target, and whether it is met.</summary>
public sealed record Row(string Scenario, string Measure, string Value, string Floor, string Target, bool Met)
{
    /// <summary>The portal's peak resident memory during the scenario, in MB (blank when the portal is not involved).</summary>
    public string PeakMemory { get; init; } = "—";

    private static string F(double value) => value.ToString(value < 10 ? "0.0" : "0", CultureInfo.InvariantCulture);

    public static Row Latency(string scenario, Measurement measured, Measurement floor, double targetP95) => new(
        scenario,
        "req/s · p50/p95/p99 ms",
        $"{F(measured.Throughput)} · {F(measured.P50)}/{F(measured.P95)}/{F(measured.P99)}",
        $"{F(floor.Throughput)} · {F(floor.P50)}/{F(floor.P95)}/{F(floor.P99)}",
        $"p95 ≤ {targetP95} ms",
        measured.P95 <= targetP95);

    /// <summary>A latency row whose target is also a share of the floor's throughput (issue 21: "nearer its floor").</summary>
    public static Row Share(string scenario, Measurement measured, Measurement floor, double minimumShare, double targetP95)
    {
        var share = measured.Throughput / floor.Throughput;
        return Latency(scenario, measured, floor, targetP95) with
        {
            Target = $"≥ {minimumShare:P0} of the floor's req/s; p95 ≤ {targetP95} ms",
            Value = $"{F(measured.Throughput)} ({share:P0} of floor) · {F(measured.P50)}/{F(measured.P95)}/{F(measured.P99)}",
            Met = share >= minimumShare && measured.P95 <= targetP95,
        };
    }

    public static string Format(double value) => F(value);
}
