using System.Diagnostics;
using Imb.Testing;

namespace Imb.Benchmarks;

/// <summary>
/// The publish and consume scenarios on a three-node cluster of local nats-servers (the test kit's fixture) with the
/// bench stream at R3: every publish is acknowledged only once two of the three nodes hold it.
/// </summary>
internal static class ClusterScenarios
{
    public static async Task<(IReadOnlyList<ScenarioResult> Results, string ServerVersion)> RunAsync(bool quick, int rounds)
    {
        var cluster = new NatsClusterFixture();
        var formed = Stopwatch.GetTimestamp();
        await cluster.InitializeAsync();
        try
        {
            await using var context = await BenchContext.StartAsync(cluster.Urls, replicas: 3);
            Console.Error.WriteLine($"cluster scenarios: three nodes of nats-server {context.ServerVersion} (formed in {Stopwatch.GetElapsedTime(formed).TotalSeconds:F0} s), streams at R3");
            Console.Error.WriteLine("cluster warm-up pass (not counted)");
            await new PublishScenarios(context, syncCount: 500, asyncCount: 10_000).RunAsync(2);
            var results = new List<ScenarioResult>();
            results.AddRange(await new PublishScenarios(context, syncCount: quick ? 2_000 : 4_000, asyncCount: quick ? 20_000 : 60_000).RunAsync(rounds));
            results.AddRange(await new ConsumeScenarios(context, consumeCount: quick ? 100_000 : 300_000, latencySamples: quick ? 14_000 : 28_000).RunAsync());
            return ([.. results.Select(r => r with { Scenario = "R3 " + r.Scenario })], context.ServerVersion);
        }
        finally
        {
            await cluster.DisposeAsync();
        }
    }
}
