using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Imb.Benchmarks;

/// <summary>The in-memory mode: messages published and delivered to one subscriber, no server; there is no raw counterpart.</summary>
internal sealed class InMemoryScenario(int count)
{
    // Rounds run first and not counted: the tiered JIT keeps recompiling this path for seconds after the first round
    // (in about twenty runs with one warm-up round the first counted round averaged ~3.2 million a second, the rest ~4.5).
    private const int WarmUpRounds = 2;
    private readonly byte[] _payload = new byte[128];

    /// <summary>Imb's rounds in strict turns with the channel baseline's, so both see the same machine; both rates are medians.</summary>
    public async Task<IReadOnlyList<ScenarioResult>> RunAsync(int rounds)
    {
        var rates = new List<double>();
        var baseline = new ChannelBaseline(count);
        var baselineRates = new List<double>();
        for (var round = 1 - WarmUpRounds; round <= rounds; round++)
        {
            // The previous round's stream (millions of messages) is garbage now: collect it here, not inside the next timing.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            var (rate, published, collections, pause, allocated, cpu) = await RunOnceAsync();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  in-memory round {round}/{rounds}{(round <= 0 ? " (warm-up)" : string.Empty)}: {rate:N0} msg/s (all published after {published.TotalMilliseconds:F0} ms; {allocated:N0} B/msg allocated, payload copies included; {collections} GCs, {pause.TotalMilliseconds:F0} ms paused; {cpu:F0} ns of CPU a message, both threads)"));
            GC.Collect();
            var channelRate = await baseline.RunOnceAsync();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  channel baseline round {round}/{rounds}: {channelRate:N0} msg/s"));
            if (round > 0)
            {
                rates.Add(rate);
                baselineRates.Add(channelRate);
            }
        }

        // The last round's stream too, so that what runs next starts on a clean heap.
        GC.Collect();
        return
        [
            new ScenarioResult("in-memory pub+deliver", "msg/s", double.NaN, Measure.Median(rates), true),
            new ScenarioResult("in-memory vs channel", "msg/s", Measure.Median(baselineRates), Measure.Median(rates), true, InRatio: false),
        ];
    }

    /// <summary>
    /// Waits until the runtime has compiled nothing for 300 ms (at most 3 s): each round's host start and stop tiers up
    /// hundreds of methods (measured: up to 325 ms of compiling inside a round's timing without this wait, at most 14 ms with).
    /// </summary>
    private static async Task JitQuietAsync()
    {
        var deadline = Stopwatch.GetTimestamp() + (3 * Stopwatch.Frequency);
        var compiled = System.Runtime.JitInfo.GetCompiledMethodCount();
        for (var quiet = 0; quiet < 15 && Stopwatch.GetTimestamp() < deadline;)
        {
            await Task.Delay(20);
            var now = System.Runtime.JitInfo.GetCompiledMethodCount();
            quiet = now == compiled ? quiet + 1 : 0;
            compiled = now;
        }
    }

    /// <summary>One round: the rate, when the publisher was done, the garbage collections, allocations and processor time inside the timing.</summary>
    private async Task<(double Rate, TimeSpan Published, int Collections, TimeSpan Pause, double BytesPerMessage, double CpuNanosPerMessage)> RunOnceAsync()
    {
        var handled = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddConsole().SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddImb(o => { o.Mode = ImbMode.InMemory; o.DefaultTopology = false; })
            .AddStream("MEM", s => s.Subjects.Add("mem.>"))
            .AddSubscription("counter", s => { s.Stream = "MEM"; }, (_, _, _) =>
            {
                if (++handled == count)
                {
                    done.SetResult();
                }

                return ValueTask.CompletedTask;
            });
        using var host = builder.Build();
        await host.StartAsync();
        var bus = host.Services.GetRequiredService<IMessageBus>();
        await JitQuietAsync();
        var (collections, pause, allocated) = (GC.CollectionCount(0), GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: true));
        var cpu = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            await bus.PublishAsync("mem.msg", _payload);
        }

        var published = Stopwatch.GetElapsedTime(started);
        await done.Task;
        var rate = count / Stopwatch.GetElapsedTime(started).TotalSeconds;
        cpu = Environment.CpuUsage.TotalTime - cpu;
        (collections, pause, allocated) = (GC.CollectionCount(0) - collections, GC.GetTotalPauseDuration() - pause, GC.GetTotalAllocatedBytes(precise: true) - allocated);
        await host.StopAsync();
        return (rate, published, collections, pause, (double)allocated / count, cpu.TotalNanoseconds / count);
    }
}
