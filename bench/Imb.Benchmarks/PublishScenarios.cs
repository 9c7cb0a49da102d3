using System.Diagnostics;
using NATS.Client.JetStream;

namespace Imb.Benchmarks;

/// <summary>Publishing to a file-backed stream: awaiting each ack, and pipelined with a window of acks in flight.</summary>
internal sealed class PublishScenarios(BenchContext context, int syncCount, int asyncCount)
{
    private const int Window = 1024;

    // Messages per turn when publishing pipelined: each turn fills and drains its window, as a burst of publishing would.
    private const int AsyncBlock = 10_000;

    private readonly byte[] _payload = new byte[128];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        var (rawSync, imbSync, paired) = await RunSyncInterleavedAsync(rounds);
        var (rawAsync, imbAsync) = await RunAsyncInTurnsAsync(context.Bus, BenchContext.Stream, BenchContext.Subject, rounds * asyncCount, "async publish");
        return
        [
            new("sync publish", "msg/s", rawSync.Rate, imbSync.Rate, true),
            new("sync publish p50", "µs", rawSync.P50, imbSync.P50, false, paired.P50),
            new("sync publish p99", "µs", rawSync.P99, imbSync.P99, false, paired.P99),
            new("async publish", "msg/s", rawAsync, imbAsync, true),
        ];
    }

    /// <summary>
    /// Awaited publishes in strict turns, message by message (raw, Imb, raw, Imb, …), so both sides meet the same server
    /// conditions on a noisy machine; throughput is each side's messages over its own time, latencies from all samples.
    /// </summary>
    /// <remarks>
    /// Raw against raw (on two connections, five quick runs) this way gave throughput ratios of 0.98–1.00 and p99
    /// ratios of 0.97–1.01; alternating batches of 250 (raw, Imb, Imb, raw) gave 0.93–1.00 and 0.84–1.05.
    /// </remarks>
    private async Task<((double Rate, double P50, double P99) Raw, (double Rate, double P50, double P99) Imb, (double P50, double P99) Paired)> RunSyncInterleavedAsync(int rounds)
    {
        var count = rounds * syncCount;
        var rawLatencies = new List<double>(count);
        var imbLatencies = new List<double>(count);
        await context.PurgeAsync();
        for (var i = 0; i < count; i++)
        {
            var before = Stopwatch.GetTimestamp();
            await RawSyncAsync();
            rawLatencies.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
            before = Stopwatch.GetTimestamp();
            await ImbSyncAsync();
            imbLatencies.Add(Stopwatch.GetElapsedTime(before).TotalMicroseconds);
        }

        var rawSorted = rawLatencies.Order().ToArray();
        var imbSorted = imbLatencies.Order().ToArray();
        Console.Error.WriteLine($"  sync publish: {count:N0} messages per side, in strict turns");
        return (
            (count / (rawLatencies.Sum() / 1e6), Measure.Percentile(rawSorted, 0.50), Measure.Percentile(rawSorted, 0.99)),
            (count / (imbLatencies.Sum() / 1e6), Measure.Percentile(imbSorted, 0.50), Measure.Percentile(imbSorted, 0.99)),
            (Measure.PairedPercentileRatio(rawLatencies, imbLatencies, Measure.LatencyBlock, 0.50), Measure.PairedPercentileRatio(rawLatencies, imbLatencies, Measure.LatencyBlock, 0.99)));
    }

    /// <summary>
    /// Pipelined publishing in strict turns of <see cref="AsyncBlock"/> messages (raw, Imb, raw, …), the stream purged
    /// before each turn; each side's rate is all its messages over all its own time.
    /// </summary>
    /// <remarks>Rounds of 50,000 per side (a second each) moved with the machine: round ratios from 0.71 to 1.25 in one run.</remarks>
    public async Task<(double Raw, double Imb)> RunAsyncInTurnsAsync(IMessageBus bus, string stream, string subject, int messages, string label)
    {
        var blocks = Math.Max(2, messages / AsyncBlock);
        var (raw, imb) = (new SideTotals(), new SideTotals());
        for (var turn = 0; turn < 2 * blocks; turn++)
        {
            await context.PurgeAsync(stream);
            var started = Stopwatch.GetTimestamp();
            await (turn % 2 == 0 ? RawAsyncAsync(subject, AsyncBlock) : ImbAsyncAsync(bus, subject, AsyncBlock));
            (turn % 2 == 0 ? raw : imb).Add(AsyncBlock, Stopwatch.GetElapsedTime(started));
        }

        Console.Error.WriteLine($"  {label}: {blocks} turns of {AsyncBlock:N0} per side; raw {raw.Rate:N0}/s imb {imb.Rate:N0}/s");
        return (raw.Rate, imb.Rate);
    }

    // Raw publishes with a Nats-Msg-Id, NATS's documented way to de-duplicated publishing, which is Imb's contract:
    // without it the server skips its de-duplication work, and the comparison would not be like for like.
    public static NatsJSPubOpts WithId() => new() { MsgId = Guid.NewGuid().ToString("N") };

    private async ValueTask RawSyncAsync()
    {
        var ack = await context.RawJetStream.PublishAsync(BenchContext.Subject, _payload, opts: WithId());
        ack.EnsureSuccess();
    }

    private async ValueTask ImbSyncAsync() => await context.Bus.PublishAsync(BenchContext.Subject, _payload);

    /// <summary>NATS.Net's documented way to pipeline: PublishConcurrentAsync, awaiting the oldest future when the window is full.</summary>
    private async Task RawAsyncAsync(string subject, int count)
    {
        var inFlight = new Queue<NatsJSPublishConcurrentFuture>(Window);
        for (var i = 0; i < count; i++)
        {
            if (inFlight.Count == Window)
            {
                await SettleAsync(inFlight.Dequeue());
            }

            inFlight.Enqueue(await context.RawJetStream.PublishConcurrentAsync(subject, _payload, opts: WithId()));
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

    private async Task ImbAsyncAsync(IMessageBus bus, string subject, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await bus.EnqueueAsync(subject, _payload);
        }

        await bus.FlushAsync();
    }
}
