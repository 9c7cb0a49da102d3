using System.Diagnostics;

namespace Imb.Benchmarks;

/// <summary>Timing helpers: throughput of a run, and latency percentiles of individual operations.</summary>
internal static class Measure
{
    public static async Task<(double PerSecond, double P50Microseconds, double P99Microseconds)> EachAsync(int count, Func<int, ValueTask> operation)
    {
        var latencies = new double[count];
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var before = Stopwatch.GetTimestamp();
            await operation(i);
            latencies[i] = Stopwatch.GetElapsedTime(before).TotalMicroseconds;
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return (count / elapsed.TotalSeconds, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    public static async Task<double> ThroughputAsync(int count, Func<Task> run)
    {
        var started = Stopwatch.GetTimestamp();
        await run();
        return count / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    public static double Percentile(double[] sorted, double percentile) => sorted[Math.Min(sorted.Length - 1, (int)(percentile * sorted.Length))];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
