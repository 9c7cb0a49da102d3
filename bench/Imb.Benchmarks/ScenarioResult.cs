namespace Imb.Benchmarks;

/// <summary>One measured quantity of a scenario: raw NATS.Net and Imb, medians over the rounds.</summary>
internal sealed record ScenarioResult(string Scenario, string Unit, double Raw, double Imb, bool HigherIsBetter)
{
    /// <summary>Imb relative to raw, oriented so that higher is better for Imb (latencies are inverted).</summary>
    public double Ratio => HigherIsBetter ? Imb / Raw : Raw / Imb;
}
