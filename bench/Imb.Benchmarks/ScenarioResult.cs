namespace Imb.Benchmarks;

/// <summary>One measured quantity of a scenario: raw NATS.Net and Imb, each over all of its own samples or time.</summary>
/// <param name="PairedRatio">
/// For latency percentiles: raw's over Imb's compared block by block in time (<see cref="Measure.PairedPercentileRatio"/>),
/// which a burst of noise moves far less than the ratio of the two overall percentiles.
/// </param>
/// <param name="InRatio">Whether the scenario enters the bench's <c>ratio:</c> (Imb against raw NATS.Net); a plain baseline does not.</param>
internal sealed record ScenarioResult(string Scenario, string Unit, double Raw, double Imb, bool HigherIsBetter, double? PairedRatio = null, bool InRatio = true)
{
    /// <summary>Imb relative to raw, oriented so that higher is better for Imb (latencies are inverted).</summary>
    public double Ratio => PairedRatio ?? (HigherIsBetter ? Imb / Raw : Raw / Imb);
}
