using System.Diagnostics;

namespace Imb.Benchmarks;

/// <summary>Timing helpers: throughput of a run, percentiles and medians.</summary>
internal static class Measure
{
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
