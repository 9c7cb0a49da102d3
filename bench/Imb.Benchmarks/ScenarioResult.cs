namespace Imb.Benchmarks;

/// <summary>One measured quantity of a scenario: raw NATS.Net and Imb, medians over the rounds.</summary>
/// <param name="PairedRatio">
/// For throughput measured in rounds: the median over rounds of Imb/raw within each round (raw and Imb back to back),
/// which a drifting machine moves far less than the ratio of the two medians.
/// </param>
internal sealed record ScenarioResult(string Scenario, string Unit, double Raw, double Imb, bool HigherIsBetter, double? PairedRatio = null)
{
    /// <summary>Imb relative to raw, oriented so that higher is better for Imb (latencies are inverted).</summary>
    public double Ratio => PairedRatio ?? (HigherIsBetter ? Imb / Raw : Raw / Imb);
}
