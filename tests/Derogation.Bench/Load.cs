using System.Diagnostics;

namespace Derogation.Bench;

/// <summary>Latencies of one scenario, with throughput over the measured window.</summary>
public sealed record Measurement(string Name, int Count, TimeSpan Elapsed, double[] MillisecondsSorted)
{
    public double Throughput => Count / Elapsed.TotalSeconds;

    public double Percentile(double p) => MillisecondsSorted[Math.Clamp((int)Math.Ceiling(p / 100 * MillisecondsSorted.Length) - 1, 0, MillisecondsSorted.Length - 1)];

    public double P50 => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);
}

public static class Load
{
    /// <summary>
    /// <paramref name="workers"/> concurrent loops, each running <paramref name="operation"/> (given the worker's index
    /// and its iteration) until <paramref name="total"/> operations have run. A warm-up first, not counted, at the
    /// same concurrency: long enough for .NET's tiered compiler to have optimised the paths measured (a short
    /// warm-up measured tier-0 code and doubled the CPU per request).
    /// </summary>
    /// <param name="measuring">Called when the warm-up is over and the measured run begins (e.g. to read a counter).</param>
    public static async Task<Measurement> RunAsync(string name, int workers, int total, Func<int, int, Task> operation, int warmUp = 500, Action? measuring = null)
    {
        var warming = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref warming) < warmUp)
            {
                await operation(worker, -1 - warming);
            }
        })));

        measuring?.Invoke();
        // Progress on standard error: a full run takes minutes, and a profiler is attached when this line appears.
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} measuring: {name} ({total} operations, {workers} at once)");
        var latencies = new double[total];
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < total)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(worker, index);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        stopwatch.Stop();
        Array.Sort(latencies);
        return new Measurement(name, total, stopwatch.Elapsed, latencies);
    }
}
