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

        // Round 0 warms both paths up (JIT tiering takes a second or two of traffic) and is not counted.
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var side in round % 2 == 0 ? new[] { "raw", "imb" } : ["imb", "raw"])
            {
                var allocated = GC.GetTotalAllocatedBytes();
                (side == "raw" ? raw : imb).Add(side == "raw" ? await RawConsumeAsync() : await ImbConsumeAsync());
                (side == "raw" ? rawBytes : imbBytes).Add((GC.GetTotalAllocatedBytes() - allocated) / (double)consumeCount);
            }

            Console.Error.WriteLine($"  consume round {round}/{rounds}{(round == 0 ? " (warm-up)" : string.Empty)}: raw {raw[^1]:N0}/s ({rawBytes[^1]:N0} B/msg) imb {imb[^1]:N0}/s ({imbBytes[^1]:N0} B/msg)");
        }

        raw.RemoveAt(0);
        imb.RemoveAt(0);

        var (rawLatency, imbLatency) = await LatencyAsync(rounds);
        return
        [
            new("consume with ack", "msg/s", Measure.Median(raw), Measure.Median(imb), true),
            new("end-to-end p50", "µs", Measure.Percentile(rawLatency, 0.50), Measure.Percentile(imbLatency, 0.50), false),
            new("end-to-end p99", "µs", Measure.Percentile(rawLatency, 0.99), Measure.Percentile(imbLatency, 0.99), false),
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

    /// <summary>One message at a time: publish (awaiting the stream's ack), then wait for the handler to see it; alternating sides per round.</summary>
    private async Task<(double[] Raw, double[] Imb)> LatencyAsync(int rounds)
    {
        var raw = new List<double>();
        var imb = new List<double>();
        for (var round = 0; round < rounds; round++)
        {
            foreach (var side in round % 2 == 0 ? new[] { "raw", "imb" } : ["imb", "raw"])
            {
                (side == "raw" ? raw : imb).AddRange(side == "raw" ? await RawLatencyAsync() : await ImbLatencyAsync());
            }
        }

        Console.Error.WriteLine($"  end-to-end latency: {raw.Count} messages per side");
        return ([.. raw.Order()], [.. imb.Order()]);
    }

    private async Task<List<double>> RawLatencyAsync()
    {
        var consumer = await context.RawJetStream.CreateOrUpdateConsumerAsync(
            BenchContext.Stream, new ConsumerConfig(NextConsumer("raw")) { FilterSubject = "bench.e2e.raw", AckPolicy = ConsumerConfigAckPolicy.Explicit, DeliverPolicy = ConsumerConfigDeliverPolicy.New });
        var arrived = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var consuming = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in consumer.ConsumeAsync<byte[]>(cancellationToken: stop.Token))
                {
                    arrived.Release();
                    await message.AckAsync();
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        });
        var latencies = await TimeRoundTripsAsync(() => context.RawJetStream.PublishAsync("bench.e2e.raw", _payload), arrived);
        await stop.CancelAsync();
        await consuming;
        return latencies;
    }

    private async Task<List<double>> ImbLatencyAsync()
    {
        var arrived = new SemaphoreSlim(0);
        var host = await context.StartHostAsync(imb => imb.AddSubscription(NextConsumer("imb"), s => { s.Stream = BenchContext.Stream; s.FilterSubject = "bench.e2e.imb"; s.Start = SubscriptionStart.New; }, (_, _, _) =>
        {
            arrived.Release();
            return ValueTask.CompletedTask;
        }));
        // Published by the same host (one connection), as raw publishes and consumes on one connection.
        var bus = host.Services.GetRequiredService<IMessageBus>();
        var latencies = await TimeRoundTripsAsync(async () => await bus.PublishAsync("bench.e2e.imb", _payload), arrived);
        await BenchContext.StopHostAsync(host);
        return latencies;
    }

    private async Task<List<double>> TimeRoundTripsAsync<T>(Func<ValueTask<T>> publish, SemaphoreSlim arrived)
    {
        // The first messages warm both paths up; they are not counted.
        var latencies = new List<double>(latencyCount);
        for (var i = -50; i < latencyCount; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await publish();
            await arrived.WaitAsync();
            if (i >= 0)
            {
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
            }
        }

        return latencies;
    }
}
