using NATS.Client.JetStream;

namespace Imb.Benchmarks;

/// <summary>Publishing to a file-backed stream: awaiting each ack, and pipelined with a window of acks in flight.</summary>
internal sealed class PublishScenarios(BenchContext context, int syncCount, int asyncCount)
{
    private const int Window = 1024;
    private readonly byte[] _payload = new byte[128];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        var (rawSync, imbSync, paired) = await RunSyncInterleavedAsync(rounds);
        var rawAsync = new List<double>();
        var imbAsync = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate who goes first, so neither side always gets the warmer (or the busier) server.
            foreach (var side in round % 2 == 0 ? new[] { "raw", "imb" } : ["imb", "raw"])
            {
                await context.PurgeAsync();
                (side == "raw" ? rawAsync : imbAsync).Add(await Measure.ThroughputAsync(asyncCount, side == "raw" ? RawAsyncAsync : ImbAsyncAsync));
            }

            Console.Error.WriteLine($"  async publish round {round + 1}/{rounds}: raw {rawAsync[^1]:N0}/s imb {imbAsync[^1]:N0}/s");
        }

        return
        [
            new("sync publish", "msg/s", rawSync.Rate, imbSync.Rate, true),
            new("sync publish p50", "µs", rawSync.P50, imbSync.P50, false, paired.P50),
            new("sync publish p99", "µs", rawSync.P99, imbSync.P99, false, paired.P99),
            new("async publish", "msg/s", Measure.Median(rawAsync), Measure.Median(imbAsync), true, Measure.PairedRatio(rawAsync, imbAsync)),
        ];
    }

    /// <summary>
    /// Awaited publishes in small alternating batches (raw, Imb, Imb, raw, …), so both sides meet the same server
    /// conditions on a noisy machine; throughput is each side's messages over its own time, latencies from all samples.
    /// </summary>
    private async Task<((double Rate, double P50, double P99) Raw, (double Rate, double P50, double P99) Imb, (double P50, double P99) Paired)> RunSyncInterleavedAsync(int rounds)
    {
        const int Batch = 250;
        var batches = Math.Max(2, rounds * syncCount / Batch);
        var rawLatencies = new List<double>();
        var imbLatencies = new List<double>();
        double rawSeconds = 0, imbSeconds = 0;
        await context.PurgeAsync();
        for (var b = 0; b < batches; b++)
        {
            foreach (var raw in b % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var latencies = new double[Batch];
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                for (var i = 0; i < Batch; i++)
                {
                    var before = System.Diagnostics.Stopwatch.GetTimestamp();
                    await (raw ? RawSyncAsync(i) : ImbSyncAsync(i));
                    latencies[i] = System.Diagnostics.Stopwatch.GetElapsedTime(before).TotalMicroseconds;
                }

                var seconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
                (raw ? rawLatencies : imbLatencies).AddRange(latencies);
                if (raw)
                {
                    rawSeconds += seconds;
                }
                else
                {
                    imbSeconds += seconds;
                }
            }
        }

        var rawSorted = rawLatencies.Order().ToArray();
        var imbSorted = imbLatencies.Order().ToArray();
        Console.Error.WriteLine($"  sync publish: {batches} interleaved batches of {Batch} per side");
        return (
            (rawSorted.Length / rawSeconds, Measure.Percentile(rawSorted, 0.50), Measure.Percentile(rawSorted, 0.99)),
            (imbSorted.Length / imbSeconds, Measure.Percentile(imbSorted, 0.50), Measure.Percentile(imbSorted, 0.99)),
            (Measure.PairedPercentileRatio(rawLatencies, imbLatencies, Batch, 0.50), Measure.PairedPercentileRatio(rawLatencies, imbLatencies, Batch, 0.99)));
    }

    // Raw publishes with a Nats-Msg-Id, NATS's documented way to de-duplicated publishing, which is Imb's contract:
    // without it the server skips its de-duplication work, and the comparison would not be like for like.
    public static NatsJSPubOpts WithId() => new() { MsgId = Guid.NewGuid().ToString("N") };

    private async ValueTask RawSyncAsync(int i)
    {
        var ack = await context.RawJetStream.PublishAsync(BenchContext.Subject, _payload, opts: WithId());
        ack.EnsureSuccess();
    }

    private async ValueTask ImbSyncAsync(int i) => await context.Bus.PublishAsync(BenchContext.Subject, _payload);

    /// <summary>NATS.Net's documented way to pipeline: PublishConcurrentAsync, awaiting the oldest future when the window is full.</summary>
    private async Task RawAsyncAsync()
    {
        var inFlight = new Queue<NatsJSPublishConcurrentFuture>(Window);
        for (var i = 0; i < asyncCount; i++)
        {
            if (inFlight.Count == Window)
            {
                await SettleAsync(inFlight.Dequeue());
            }

            inFlight.Enqueue(await context.RawJetStream.PublishConcurrentAsync(BenchContext.Subject, _payload, opts: WithId()));
        }

        while (inFlight.Count > 0)
        {
            await SettleAsync(inFlight.Dequeue());
        }
    }

    private static async Task SettleAsync(NatsJSPublishConcurrentFuture future)
    {
        await using (future)
        {
            (await future.GetResponseAsync()).EnsureSuccess();
        }
    }

    private async Task ImbAsyncAsync()
    {
        for (var i = 0; i < asyncCount; i++)
        {
            await context.Bus.EnqueueAsync(BenchContext.Subject, _payload);
        }

        await context.Bus.FlushAsync();
    }
}
