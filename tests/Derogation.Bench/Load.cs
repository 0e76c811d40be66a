using System.Diagnostics;

namespace Derogation.Bench;

/// <summary>Latencies of one scenario, with throughput over the measured window.</summary>
public sealed record Measurement(string Name, int Count, TimeSpan Elapsed, double[] MillisecondsSorted)
{
    /// <summary>The CPU the other process (the portal) used while this was measured, when one was given.</summary>
    public TimeSpan OtherProcessCpu { get; init; }

    public double Throughput => Count / Elapsed.TotalSeconds;

    public double Percentile(double p) => MillisecondsSorted[Math.Clamp((int)Math.Ceiling(p / 100 * MillisecondsSorted.Length) - 1, 0, MillisecondsSorted.Length - 1)];

    public double P50 => Percentile(50);

    public double P95 => Percentile(95);

    public double P99 => Percentile(99);
}

public static class Load
{
    /// <summary>A warm-up window: long enough for the CPU clock (10 ms ticks) to resolve a few per cent.</summary>
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    /// <summary>Past this, the load is measured anyway, with a warning: the machine is too noisy to see a plateau.</summary>
    private static readonly TimeSpan MaximumWarmUp = TimeSpan.FromSeconds(150);

    /// <summary>
    /// Windows in a row without a new best (by more than <see cref="Gain"/>) before the CPU per operation is called steady:
    /// 4 windows of no gain stopped one queue warm-up at 5.5 ms per page, on its way down to 3.1 (the descent is noisy).
    /// </summary>
    private const int SteadyWindows = 6;

    private const double Gain = 0.02;

    /// <summary>
    /// <paramref name="workers"/> concurrent loops, each running <paramref name="operation"/> (given the worker's index
    /// and its iteration) until <paramref name="total"/> operations have run. A warm-up first, not counted, at the
    /// same concurrency, until the CPU per operation stops falling: .NET's tiered compiler keeps optimising the paths
    /// for a minute or more under load (on two cores the portal's CPU per queue page fell from 6.6 to 2.2 ms over
    /// 50–80 s), so a warm-up of a fixed 500 requests measured code half optimised.
    /// </summary>
    /// <param name="warmUp">The least number of operations warmed up; with <paramref name="untilSteady"/> false, exactly that many.</param>
    /// <param name="otherProcessCpu">The CPU time of the process that does the work (the portal), added to the bench's own.</param>
    public static async Task<Measurement> RunAsync(string name, int workers, int total, Func<int, int, Task> operation,
        int warmUp = 500, Func<TimeSpan>? otherProcessCpu = null, bool untilSteady = true)
    {
        await WarmUpAsync(name, workers, operation, warmUp, untilSteady, () => OwnCpu() + (otherProcessCpu?.Invoke() ?? TimeSpan.Zero));

        // Progress on standard error: a full run takes minutes, and a profiler is attached when this line appears.
        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} measuring: {name} ({total} operations, {workers} at once)");
        var cpuBefore = otherProcessCpu?.Invoke() ?? TimeSpan.Zero;
        var (elapsed, latencies) = await MeasureAsync(workers, total, 0, operation);
        Array.Sort(latencies);
        return new Measurement(name, total, elapsed, latencies) { OtherProcessCpu = (otherProcessCpu?.Invoke() ?? TimeSpan.Zero) - cpuBefore };
    }

    /// <summary>One side of a pair measured in alternation: the portal's path, or its floor.</summary>
    public sealed record Side(string Name, Func<int, int, Task> Operation, Func<TimeSpan>? OtherProcessCpu = null);

    /// <summary>
    /// The portal's path and its floor, each warmed up until steady, then measured in alternating slices
    /// (<paramref name="slices"/> of each, <paramref name="total"/> operations per side in all). On this shared
    /// two-core machine a slower or faster minute landed on one side only when each side ran in one block: the save's
    /// share of its floor went from 37 % to 61 % between runs of the same code. Each side's latencies and throughput
    /// are its own slices'; <see cref="Measurement.OtherProcessCpu"/> counts the other process's CPU in them only.
    /// </summary>
    public static async Task<(Measurement Measured, Measurement Floor)> AlternateAsync(Side measured, Side floor, int workers, int total,
        int warmUp = 500, int slices = 4)
    {
        Side[] sides = [measured, floor];
        foreach (var side in sides)
        {
            await WarmUpAsync(side.Name, workers, side.Operation, warmUp, untilSteady: true, () => OwnCpu() + (side.OtherProcessCpu?.Invoke() ?? TimeSpan.Zero));
        }

        Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} measuring: {measured.Name} and {floor.Name} in turn ({slices} slices of {total / slices} operations each, {workers} at once)");
        var elapsed = new TimeSpan[2];
        var cpu = new TimeSpan[2];
        var latencies = new List<double>[] { [], [] };
        for (var slice = 0; slice < slices; slice++)
        {
            var count = total / slices + (slice < total % slices ? 1 : 0);
            for (var s = 0; s < sides.Length; s++)
            {
                // A few operations not counted after each switch, so that no slice starts on the other side's queues.
                await MeasureAsync(workers, workers * 4, -1_000_000 - slice * 1000, sides[s].Operation);
                var cpuBefore = sides[s].OtherProcessCpu?.Invoke() ?? TimeSpan.Zero;
                var (time, measuredLatencies) = await MeasureAsync(workers, count, latencies[s].Count, sides[s].Operation);
                cpu[s] += (sides[s].OtherProcessCpu?.Invoke() ?? TimeSpan.Zero) - cpuBefore;
                elapsed[s] += time;
                latencies[s].AddRange(measuredLatencies);
            }
        }

        var results = sides.Select((side, s) =>
        {
            var sorted = latencies[s].ToArray();
            Array.Sort(sorted);
            return new Measurement(side.Name, sorted.Length, elapsed[s], sorted) { OtherProcessCpu = cpu[s] };
        }).ToArray();
        return (results[0], results[1]);
    }

    /// <summary><paramref name="count"/> operations by <paramref name="workers"/> loops, iterations numbered from <paramref name="first"/>.</summary>
    private static async Task<(TimeSpan Elapsed, double[] Latencies)> MeasureAsync(int workers, int count, int first, Func<int, int, Task> operation)
    {
        var latencies = new double[count];
        var next = -1;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                await operation(worker, first + index);
                latencies[index] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        })));
        stopwatch.Stop();
        return (stopwatch.Elapsed, latencies);
    }

    /// <summary>
    /// Runs the operation (iterations numbered -1, -2, …) in windows of <see cref="Window"/>, printing the CPU per
    /// operation of each on standard error, until <see cref="SteadyWindows"/> windows in a row bring no new best.
    /// </summary>
    private static async Task WarmUpAsync(string name, int workers, Func<int, int, Task> operation, int least, bool untilSteady, Func<TimeSpan> cpu)
    {
        var done = 0;
        var stop = 0;
        var started = Stopwatch.StartNew();
        var loops = Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                var iteration = Interlocked.Increment(ref done);
                if (!untilSteady && iteration > least)
                {
                    return;
                }

                await operation(worker, -iteration);
            }
        })));
        if (!untilSteady)
        {
            await loops;
            return;
        }

        var best = double.MaxValue;
        var sinceBest = 0;
        var curve = new List<string>();
        var (cpuBefore, doneBefore) = (cpu(), Volatile.Read(ref done));
        while (!loops.IsCompleted)
        {
            await Task.WhenAny(loops, Task.Delay(Window));
            var (cpuNow, doneNow) = (cpu(), Volatile.Read(ref done));
            var perOperation = (cpuNow - cpuBefore).TotalMilliseconds / Math.Max(1, doneNow - doneBefore);
            (cpuBefore, doneBefore) = (cpuNow, doneNow);
            curve.Add(perOperation.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture));
            if (perOperation < best * (1 - Gain))
            {
                sinceBest = 0;
            }
            else
            {
                sinceBest++;
            }

            best = Math.Min(best, perOperation);
            var steady = sinceBest >= SteadyWindows && doneNow >= least;
            if (steady || started.Elapsed >= MaximumWarmUp)
            {
                Console.Error.WriteLine($"{DateTime.Now:HH:mm:ss} warm-up: {name}, {doneNow} operations in {started.Elapsed.TotalSeconds:0} s, "
                                        + $"CPU ms per operation every {Window.TotalSeconds:0} s: {string.Join(" ", curve)}"
                                        + (steady ? "" : " — NOT STEADY, measured anyway"));
                break;
            }
        }

        Volatile.Write(ref stop, 1);
        await loops;
    }

    private static TimeSpan OwnCpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
