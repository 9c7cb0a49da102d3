using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Imb.Benchmarks;
using Imb.Testing;

// Imb against raw NATS.Net on the same server in the same run: absolute numbers drift on shared machines, ratios do not.
var quick = args.Contains("--quick");
var urlIndex = Array.IndexOf(args, "--url");
var rounds = quick ? 7 : 9;
var onlyIndex = Array.IndexOf(args, "--only");
var only = onlyIndex >= 0 && onlyIndex + 1 < args.Length ? args[onlyIndex + 1] : null; // publish | fast | consume | memory | tracing | cluster
NatsNode? node = null;
var url = urlIndex >= 0 && urlIndex + 1 < args.Length ? args[urlIndex + 1] : null;
if (url is null)
{
    node = await NatsNode.StartAsync("imb-bench", Path.Combine(Path.GetTempPath(), "imb-bench", Guid.NewGuid().ToString("N")[..8]));
    url = node.Url;
}

Console.Error.WriteLine($"Imb benchmark ({(quick ? "quick" : "full")}, {rounds} rounds) against {url}");
var results = new List<ScenarioResult>();
var serverVersion = "unknown";
await using (var context = await BenchContext.StartAsync(url))
{
    serverVersion = context.ServerVersion;
    Console.Error.WriteLine($"every NATS scenario runs on nats-server {serverVersion} at {url}");
    // The in-memory mode first, in a process that has done nothing else yet, as a test run using it would be: after the
    // server scenarios (a grown thread pool, a heap full of their leftovers) it measured 2.6 million a second against 5.
    if (only is null or "memory")
    {
        results.AddRange(await new InMemoryScenario(2_000_000).RunAsync(rounds));
    }

    // A short pass of every NATS scenario first, its results dropped: the runtime keeps recompiling hot code (tiered
    // JIT, with profile-guided optimisation) for several seconds, and on two cores that would land inside the timing.
    if (only is null or "publish" or "consume" or "tracing")
    {
        var warmUp = Stopwatch.GetTimestamp();
        Console.Error.WriteLine("warm-up pass (not counted)");
        await new PublishScenarios(context, syncCount: 1_000, asyncCount: 20_000).RunAsync(2);
        await new ConsumeScenarios(context, consumeCount: 100_000, latencySamples: 400).RunAsync();
        Console.Error.WriteLine($"warm-up pass done in {Stopwatch.GetElapsedTime(warmUp).TotalSeconds:F0} s");
    }

    if (only is null or "publish")
    {
        results.AddRange(await new PublishScenarios(context, syncCount: quick ? 6_000 : 10_000, asyncCount: quick ? 50_000 : 200_000).RunAsync(rounds));
    }

    if (only is null or "publish" or "fast")
    {
        results.AddRange(await new FastIngestScenario(context, asyncCount: quick ? 50_000 : 200_000).RunAsync(rounds));
    }

    if (only is null or "tracing")
    {
        using var tracing = new TracingScenario(context, syncCount: quick ? 6_000 : 12_000, consumeCount: quick ? 200_000 : 400_000);
        results.AddRange(await tracing.RunAsync());
    }

    if (only is null or "consume")
    {
        // Enough latency samples for a steady p99: raw against raw, 7,000 per side gave ratios 0.92–1.16, 28,000 0.98–1.08.
        results.AddRange(await new ConsumeScenarios(context, consumeCount: quick ? 400_000 : 1_000_000, latencySamples: quick ? 56_000 : 112_000).RunAsync());
    }
}

if (node is not null)
{
    await node.DisposeAsync();
    Directory.Delete(Path.GetDirectoryName(node.StoreDirectory)!, recursive: true);
}

// Last, on its own three servers (the single one is stopped by now): the two would share the machine's cores.
var clusterVersion = "not run";
if (only is null or "cluster")
{
    var (clusterResults, version) = await ClusterScenarios.RunAsync(quick, rounds);
    results.AddRange(clusterResults);
    clusterVersion = version;
}

Console.WriteLine($"nats-server {serverVersion}; in-memory rows ran without it (their raw column is the channel baseline); R3 rows on a three-node cluster of nats-server {clusterVersion}");
Console.WriteLine($"{"scenario",-22} {"unit",-6} {"raw",12} {"imb",12} {"imb/raw",8}");
foreach (var r in results)
{
    var raw = double.IsNaN(r.Raw) ? "-" : r.Raw.ToString("N0", CultureInfo.InvariantCulture);
    var ratio = double.IsNaN(r.Raw) ? "-" : r.Ratio.ToString("F2", CultureInfo.InvariantCulture);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{r.Scenario,-22} {r.Unit,-6} {raw,12} {r.Imb,12:N0} {ratio,8}"));
}

var resultsDirectory = Path.Combine(AppContext.BaseDirectory, "results");
Directory.CreateDirectory(resultsDirectory);
var file = Path.Combine(resultsDirectory, $"bench-{TimeProvider.System.GetUtcNow():yyyyMMdd-HHmmss}.json");
await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { quick, rounds, url, serverVersion, clusterVersion, machine = Environment.ProcessorCount + " cores", results }, new JsonSerializerOptions { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals }));
Console.Error.WriteLine($"results written to {file}");
// Scenarios without a raw NATS.Net counterpart (in-memory, its channel baseline) do not enter the ratio.
var compared = results.Where(r => !double.IsNaN(r.Raw) && r.InRatio).ToList();
Console.WriteLine(compared.Count == 0 ? "ratio: n/a" : string.Create(CultureInfo.InvariantCulture, $"ratio: {compared.Min(r => r.Ratio):F2}"));
