using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Benchmarks;

/// <summary>
/// Consuming with explicit acks (a prefilled stream, first to last message), and end-to-end latency from an awaited
/// publish to the handler. Raw NATS.Net uses a durable consumer with ConsumeAsync and AckAsync, as its docs show;
/// Imb uses a hosted subscription with its defaults.
/// </summary>
internal sealed class ConsumeScenarios(BenchContext context, int consumeCount, int latencyCount)
{
    // Both sides fetch as far ahead: NATS.Net's default (1,000). Imb's own default is 256, so that slower handlers
    // finish each fetched message within its ack wait; prefetch depth, not Imb's code, decides throughput here.
    private const int RawPrefetch = 1000;

    // Latency samples per side in each block that is compared on its own (see Measure.PairedPercentileRatio).
    private const int LatencyBlock = 250;
    private readonly byte[] _payload = new byte[128];
    private int _consumers;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        await context.PurgeAsync();
        await PrefillAsync();
        var raw = new List<double>();
        var imb = new List<double>();
        var rawBytes = new List<double>();
        var imbBytes = new List<double>();

        // Round 0 warms both paths up (JIT tiering takes a second or two of traffic) and is not counted. Twice as many
        // rounds as the other scenarios, each shorter: the median of more samples is steadier on a noisy machine.
        var consumeRounds = rounds * 2;
        for (var round = 0; round <= consumeRounds; round++)
        {
            foreach (var side in round % 2 == 0 ? new[] { "raw", "imb" } : ["imb", "raw"])
            {
                var allocated = GC.GetTotalAllocatedBytes();
                (side == "raw" ? raw : imb).Add(side == "raw" ? await RawConsumeAsync() : await ImbConsumeAsync());
                (side == "raw" ? rawBytes : imbBytes).Add((GC.GetTotalAllocatedBytes() - allocated) / (double)consumeCount);
            }

            Console.Error.WriteLine($"  consume round {round}/{consumeRounds}{(round == 0 ? " (warm-up)" : string.Empty)}: raw {raw[^1]:N0}/s ({rawBytes[^1]:N0} B/msg) imb {imb[^1]:N0}/s ({imbBytes[^1]:N0} B/msg)");
        }

        raw.RemoveAt(0);
        imb.RemoveAt(0);

        var (rawLatency, imbLatency) = await LatencyAsync(rounds);
        double[] rawSorted = [.. rawLatency.Order()], imbSorted = [.. imbLatency.Order()];
        return
        [
            new("consume with ack", "msg/s", Measure.Median(raw), Measure.Median(imb), true, Measure.PairedRatio(raw, imb)),
            new("end-to-end p50", "µs", Measure.Percentile(rawSorted, 0.50), Measure.Percentile(imbSorted, 0.50), false, Measure.PairedPercentileRatio(rawLatency, imbLatency, LatencyBlock, 0.50)),
            new("end-to-end p99", "µs", Measure.Percentile(rawSorted, 0.99), Measure.Percentile(imbSorted, 0.99), false, Measure.PairedPercentileRatio(rawLatency, imbLatency, LatencyBlock, 0.99)),
        ];
    }

    private async Task PrefillAsync()
    {
        var inFlight = new Queue<NatsJSPublishConcurrentFuture>();
        for (var i = 0; i < consumeCount; i++)
        {
            if (inFlight.Count == 1024)
            {
                await using var done = inFlight.Dequeue();
                (await done.GetResponseAsync()).EnsureSuccess();
            }

            inFlight.Enqueue(await context.RawJetStream.PublishConcurrentAsync("bench.consume", _payload));
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

    private async Task<double> RawConsumeAsync()
    {
        var consumer = await context.RawJetStream.CreateOrUpdateConsumerAsync(
            BenchContext.Stream, new ConsumerConfig(NextConsumer("raw")) { FilterSubject = "bench.consume", AckPolicy = ConsumerConfigAckPolicy.Explicit });
        long first = 0;
        var count = 0;
        await foreach (var message in consumer.ConsumeAsync<byte[]>())
        {
            first = first == 0 ? Stopwatch.GetTimestamp() : first;
            await message.AckAsync();
            if (++count == consumeCount)
            {
                break;
            }
        }

        return (consumeCount - 1) / Stopwatch.GetElapsedTime(first).TotalSeconds;
    }

    private async Task<double> ImbConsumeAsync()
    {
        long first = 0;
        var count = 0;
        var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var host = await context.StartHostAsync(imb => imb.AddSubscription(NextConsumer("imb"), s => { s.Stream = BenchContext.Stream; s.FilterSubject = "bench.consume"; s.Prefetch = RawPrefetch; }, (_, _, _) =>
        {
            first = first == 0 ? Stopwatch.GetTimestamp() : first;
            if (++count == consumeCount)
            {
                done.SetResult(Stopwatch.GetTimestamp());
            }

            return ValueTask.CompletedTask;
        }));
        var last = await done.Task;
        await BenchContext.StopHostAsync(host);
        return (consumeCount - 1) / Stopwatch.GetElapsedTime(first, last).TotalSeconds;
    }

    /// <summary>
    /// One message at a time: publish (awaiting the stream's ack), then wait for the handler to see it. Both sides
    /// run at once and take turns message by message (raw, Imb, Imb, raw, …), so a noisy moment on the machine lands
    /// on both alike; the tails are comparable only that way.
    /// </summary>
    private async Task<(List<double> Raw, List<double> Imb)> LatencyAsync(int rounds)
    {
        var consumer = await context.RawJetStream.CreateOrUpdateConsumerAsync(
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
        var total = rounds * latencyCount;

        // The first messages warm both paths up; they are not counted.
        for (var i = -100; i < total; i++)
        {
            foreach (var rawFirst in i % 2 == 0 ? new[] { true, false } : [false, true])
            {
                var started = Stopwatch.GetTimestamp();
                if (rawFirst)
                {
                    await context.RawJetStream.PublishAsync("bench.e2e.raw", _payload, opts: PublishScenarios.WithId());
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
        Console.Error.WriteLine($"  end-to-end latency: {raw.Count} messages per side, taking turns");
        return (raw, imb);
    }
}
