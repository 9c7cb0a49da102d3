namespace Imb.Benchmarks;

/// <summary>Timing helpers: percentiles, medians, and percentiles compared block by block.</summary>
internal static class Measure
{
    /// <summary>Latency samples per side in each block that <see cref="PairedPercentileRatio"/> compares on its own.</summary>
    public const int LatencyBlock = 250;

    public static double Percentile(double[] sorted, double percentile) => sorted[Math.Min(sorted.Length - 1, (int)(percentile * sorted.Length))];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>
    /// For latencies taken in turns (raw and Imb interleaved, in time order): the median over consecutive blocks of
    /// <paramref name="block"/> samples per side of raw's percentile over Imb's, so that a burst of noise on the
    /// machine, which lands in one block, cannot decide the whole comparison.
    /// </summary>
    /// <remarks>
    /// A block is made larger where needed to hold ten samples beyond the percentile (1,000 for a p99), and never
    /// larger than the samples there are.
    /// </remarks>
    public static double PairedPercentileRatio(IReadOnlyList<double> raw, IReadOnlyList<double> imb, int block, double percentile)
    {
        block = Math.Min(Math.Max(block, (int)Math.Ceiling(10 / (1 - percentile))), Math.Min(raw.Count, imb.Count));
        var ratios = new List<double>();
        for (var start = 0; start + block <= Math.Min(raw.Count, imb.Count); start += block)
        {
            var rawBlock = raw.Skip(start).Take(block).Order().ToArray();
            var imbBlock = imb.Skip(start).Take(block).Order().ToArray();
            ratios.Add(Percentile(rawBlock, percentile) / Percentile(imbBlock, percentile));
        }

        return Median(ratios);
    }
}
