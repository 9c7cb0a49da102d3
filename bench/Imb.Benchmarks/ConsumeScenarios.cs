using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using System.Globalization;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Benchmarks;

/// <summary>
/// Consuming with explicit acks (a prefilled stream, each side its own durable consumer), and end-to-end latency from an awaited
/// publish to the handler. Raw NATS.Net uses a durable consumer with ConsumeAsync and AckAsync, as its docs show;
/// Imb uses a hosted subscription with its defaults.
/// </summary>
internal sealed class ConsumeScenarios(BenchContext context, int consumeCount, int latencySamples)
{
    // Both sides fetch as far ahead: NATS.Net's default (1,000). Imb's own default is 256, so that slower handlers
    // finish each fetched message within its ack wait; prefetch depth, not Imb's code, decides throughput here.
    private const int RawPrefetch = 1000;

    // Messages per turn in the consume scenario: long enough to reach a steady rate (tens of milliseconds), short
    // enough that many turns fit in a run.
    private const int ConsumeBlock = 5_000;

    private static readonly bool[] RawThenImb = [true, false];
    private readonly byte[] _payload = new byte[128];
    private int _consumers;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        var (raw, imb) = await ConsumeInTurnsAsync();
        var (rawLatency, imbLatency) = await LatencyAsync();
        double[] rawSorted = [.. rawLatency.Order()], imbSorted = [.. imbLatency.Order()];
        return
        [
            new("consume with ack", "msg/s", raw, imb, true),
            new("end-to-end p50", "µs", Measure.Percentile(rawSorted, 0.50), Measure.Percentile(imbSorted, 0.50), false, Measure.PairedPercentileRatio(rawLatency, imbLatency, Measure.LatencyBlock, 0.50)),
            new("end-to-end p99", "µs", Measure.Percentile(rawSorted, 0.99), Measure.Percentile(imbSorted, 0.99), false, Measure.PairedPercentileRatio(rawLatency, imbLatency, Measure.LatencyBlock, 0.99)),
        ];
    }

    /// <summary>
    /// Both consumers run at once over the same prefilled messages (each its own durable consumer on its own
    /// connection) and take strict turns in blocks of <see cref="ConsumeBlock"/> (raw, Imb, raw, Imb, …); each side's
    /// rate is all its counted messages over all its own time, so a noisy moment on the machine lands on both alike.
    /// </summary>
    /// <remarks>
    /// Checked with raw against raw, each on a fresh connection: six quick runs gave 1.00–1.03 (the earlier method,
    /// 0.93–1.07). Two things had moved it: blocks in pairs (raw, Imb, Imb, raw) start half of them on a prefetch buffer
    /// the same side's previous block drained, the other half on a full one, and a median over such pairs falls
    /// between two clusters; and the connection that had just prefilled the stream consumed ~2% slower than a fresh one.
    /// </remarks>
    private async Task<(double Raw, double Imb)> ConsumeInTurnsAsync()
    {
        await context.PurgeAsync();
        await PrefillAsync();
        Turn rawTurn = new(ConsumeBlock), imbTurn = new(ConsumeBlock);
        await using var connection = await context.ConnectRawAsync();
        var consumer = await new NatsJSContext(connection).CreateOrUpdateConsumerAsync(
            BenchContext.Stream, new ConsumerConfig(NextConsumer("raw")) { FilterSubject = "bench.consume", AckPolicy = ConsumerConfigAckPolicy.Explicit });
        using var stop = new CancellationTokenSource();
        var rawLoop = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop.Token))
                {
                    await rawTurn.EnterAsync();
                    rawTurn.Handled();
                    await message.AckAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        var host = await context.StartHostAsync(imb => imb.AddSubscription(NextConsumer("imb"), s => { s.Stream = BenchContext.Stream; s.FilterSubject = "bench.consume"; s.Prefetch = RawPrefetch; }, async (_, _, _) =>
        {
            await imbTurn.EnterAsync();
            imbTurn.Handled();
        }));

        var blocks = consumeCount / ConsumeBlock;
        var (rawSide, imbSide) = (new SideTotals(), new SideTotals());
        for (var turn = 0; turn < 2 * blocks; turn++)
        {
            // Every block starts after one of the other side, so each side's prefetch buffer is as full when its turn begins.
            var side = turn % 2 == 0 ? rawSide : imbSide;
            var bytes = GC.GetTotalAllocatedBytes();
            var started = Stopwatch.GetTimestamp();
            await (turn % 2 == 0 ? rawTurn : imbTurn).TakeAsync();

            // The first tenth of the blocks warms each side's consumer up (first fetches, JIT) and is not counted.
            if (turn / 2 >= blocks / 10)
            {
                side.Add(ConsumeBlock, Stopwatch.GetElapsedTime(started), GC.GetTotalAllocatedBytes() - bytes);
            }
        }

        rawTurn.Release();
        imbTurn.Release();
        await stop.CancelAsync();
        await rawLoop;
        await BenchContext.StopHostAsync(host);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  consume: {rawSide.Turns} blocks of {ConsumeBlock:N0} per side, in strict turns; raw {rawSide.Rate:N0}/s ({rawSide.BytesPerMessage:N0} B/msg) imb {imbSide.Rate:N0}/s ({imbSide.BytesPerMessage:N0} B/msg)"));
        return (rawSide.Rate, imbSide.Rate);
    }

    /// <summary>Fills the stream on a connection of its own, so that neither consuming side inherits its history.</summary>
    private async Task PrefillAsync()
    {
        await using var connection = await context.ConnectRawAsync();
        var jetStream = new NatsJSContext(connection);
        var inFlight = new Queue<NatsJSPublishConcurrentFuture>();
        for (var i = 0; i < consumeCount; i++)
        {
            if (inFlight.Count == 1024)
            {
                await using var done = inFlight.Dequeue();
                (await done.GetResponseAsync()).EnsureSuccess();
            }

            inFlight.Enqueue(await jetStream.PublishConcurrentAsync("bench.consume", _payload));
        }

        while (inFlight.TryDequeue(out var future))
        {
            await using (future)
            {
                (await future.GetResponseAsync()).EnsureSuccess();
            }
        }
    }

    private string NextConsumer(string side) => $"{side}_{Interlocked.Increment(ref _consumers)}";

    /// <summary>
    /// One message at a time: publish (awaiting the stream's ack), then wait for the handler to see it. Both sides
    /// run at once and take strict turns message by message (raw, Imb, raw, Imb, …), so a noisy moment on the machine
    /// lands on both alike; the tails are comparable only that way.
    /// </summary>
    private async Task<(List<double> Raw, List<double> Imb)> LatencyAsync()
    {
        await using var connection = await context.ConnectRawAsync();
        var rawJetStream = new NatsJSContext(connection);
        var consumer = await rawJetStream.CreateOrUpdateConsumerAsync(
            BenchContext.Stream, new ConsumerConfig(NextConsumer("raw")) { FilterSubject = "bench.e2e.raw", AckPolicy = ConsumerConfigAckPolicy.Explicit, DeliverPolicy = ConsumerConfigDeliverPolicy.New });
        var rawArrived = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var consuming = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop.Token))
                {
                    rawArrived.Release();
                    await message.AckAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        var imbArrived = new SemaphoreSlim(0);
        var host = await context.StartHostAsync(imb => imb.AddSubscription(NextConsumer("imb"), s => { s.Stream = BenchContext.Stream; s.FilterSubject = "bench.e2e.imb"; s.Start = SubscriptionStart.New; }, (_, _, _) =>
        {
            imbArrived.Release();
            return ValueTask.CompletedTask;
        }));

        // Imb publishes from its own host (one connection), as raw publishes and consumes on one connection; with a
        // message id on both sides, as Imb always sends one (the server's de-duplication is part of both paths).
        var bus = host.Services.GetRequiredService<IMessageBus>();
        var raw = new List<double>();
        var imb = new List<double>();

        // The first messages warm both paths up; they are not counted.
        for (var i = -100; i < latencySamples; i++)
        {
            foreach (var rawFirst in RawThenImb)
            {
                var started = Stopwatch.GetTimestamp();
                if (rawFirst)
                {
                    await rawJetStream.PublishAsync("bench.e2e.raw", _payload, opts: PublishScenarios.WithId());
                    await rawArrived.WaitAsync();
                }
                else
                {
                    await bus.PublishAsync("bench.e2e.imb", _payload);
                    await imbArrived.WaitAsync();
                }

                if (i >= 0)
                {
                    (rawFirst ? raw : imb).Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
                }
            }
        }

        await stop.CancelAsync();
        await consuming;
        await BenchContext.StopHostAsync(host);
        Console.Error.WriteLine($"  end-to-end latency: {raw.Count} messages per side, in strict turns");
        return (raw, imb);
    }
}
