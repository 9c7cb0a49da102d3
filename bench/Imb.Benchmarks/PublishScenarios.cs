using NATS.Client.JetStream;

namespace Imb.Benchmarks;

/// <summary>Publishing to a file-backed stream: awaiting each ack, and pipelined with a window of acks in flight.</summary>
internal sealed class PublishScenarios(BenchContext context, int syncCount, int asyncCount)
{
    private const int Window = 1024;
    private readonly byte[] _payload = new byte[128];

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        var raw = new List<(double Rate, double P50, double P99)>();
        var imb = new List<(double Rate, double P50, double P99)>();
        var rawAsync = new List<double>();
        var imbAsync = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            // Alternate who goes first, so neither side always gets the warmer (or the more fragmented) server.
            var rawFirst = round % 2 == 0;
            foreach (var side in rawFirst ? new[] { "raw", "imb" } : ["imb", "raw"])
            {
                await context.PurgeAsync();
                if (side == "raw")
                {
                    raw.Add(await Measure.EachAsync(syncCount, RawSyncAsync));
                    await context.PurgeAsync();
                    rawAsync.Add(await Measure.ThroughputAsync(asyncCount, RawAsyncAsync));
                }
                else
                {
                    imb.Add(await Measure.EachAsync(syncCount, ImbSyncAsync));
                    await context.PurgeAsync();
                    imbAsync.Add(await Measure.ThroughputAsync(asyncCount, ImbAsyncAsync));
                }
            }

            Console.Error.WriteLine($"  publish round {round + 1}/{rounds}: sync raw {raw[^1].Rate:N0}/s imb {imb[^1].Rate:N0}/s; async raw {rawAsync[^1]:N0}/s imb {imbAsync[^1]:N0}/s");
        }

        return
        [
            new("sync publish", "msg/s", Measure.Median(raw.Select(r => r.Rate)), Measure.Median(imb.Select(r => r.Rate)), true),
            new("sync publish p50", "µs", Measure.Median(raw.Select(r => r.P50)), Measure.Median(imb.Select(r => r.P50)), false),
            new("sync publish p99", "µs", Measure.Median(raw.Select(r => r.P99)), Measure.Median(imb.Select(r => r.P99)), false),
            new("async publish", "msg/s", Measure.Median(rawAsync), Measure.Median(imbAsync), true),
        ];
    }

    // Raw publishes with a Nats-Msg-Id, NATS's documented way to de-duplicated publishing, which is Imb's contract:
    // without it the server skips its de-duplication work, and the comparison would not be like for like.
    private static NatsJSPubOpts WithId() => new() { MsgId = Guid.NewGuid().ToString("N") };

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
