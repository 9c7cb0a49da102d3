using Microsoft.Extensions.DependencyInjection;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Imb.Benchmarks;

/// <summary>
/// What tracing costs: Imb with every span recorded (an in-memory exporter's work: each ended span kept) against Imb
/// with the listener attached but sampling nothing, in strict turns on one host. Not against raw NATS.Net.
/// </summary>
internal sealed class TracingScenario(BenchContext context, int syncCount, int consumeCount) : IDisposable
{
    private const int ConsumeBlock = 5_000;
    private const string ConsumeSubject = "bench.trace";
    private readonly byte[] _payload = new byte[128];
    private readonly ConcurrentQueue<Activity> _exported = new();
    private readonly ActivityListener _listener = new() { ShouldListenTo = s => s.Name == ImbDiagnostics.ActivitySourceName };
    private volatile bool _tracing;

    public async Task<IReadOnlyList<ScenarioResult>> RunAsync()
    {
        _listener.Sample = (ref ActivityCreationOptions<ActivityContext> _) => _tracing ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None;
        _listener.ActivityStopped = _exported.Enqueue;
        ActivitySource.AddActivityListener(_listener);
        var (off, on) = await SyncInTurnsAsync();
        var (consumeOff, consumeOn) = await ConsumeInTurnsAsync();
        return
        [
            new("traced sync publish", "msg/s", off, on, true, InRatio: false),
            new("traced consume", "msg/s", consumeOff, consumeOn, true, InRatio: false),
        ];
    }

    public void Dispose() => _listener.Dispose();

    private async Task<(double Off, double On)> SyncInTurnsAsync()
    {
        await context.PurgeAsync();
        var (off, on) = (TimeSpan.Zero, TimeSpan.Zero);
        for (var i = 0; i < syncCount; i++)
        {
            _tracing = i % 2 == 1;
            var before = Stopwatch.GetTimestamp();
            await context.Bus.PublishAsync(BenchContext.Subject, _payload);
            var took = Stopwatch.GetElapsedTime(before);
            (off, on) = _tracing ? (off, on + took) : (off + took, on);
            _exported.Clear();
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  traced sync publish: {syncCount / 2:N0} messages per side, in strict turns (untraced, traced)"));
        return (syncCount / 2 / off.TotalSeconds, syncCount / 2 / on.TotalSeconds);
    }

    /// <summary>One subscription consuming a prefilled stream, tracing switched on and off for alternate blocks.</summary>
    private async Task<(double Off, double On)> ConsumeInTurnsAsync()
    {
        await context.PurgeAsync();
        for (var i = 0; i < consumeCount; i++)
        {
            await context.Bus.EnqueueAsync(ConsumeSubject, _payload);
        }

        await context.Bus.FlushAsync();
        var handled = 0;
        var target = ConsumeBlock;
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _tracing = false;
        var host = await context.StartHostAsync(imb => imb.AddSubscription("bench_trace", s => { s.Stream = BenchContext.Stream; s.FilterSubject = ConsumeSubject; s.Prefetch = 1_000; }, (_, _, _) =>
        {
            if (Interlocked.Increment(ref handled) == Volatile.Read(ref target))
            {
                reached.TrySetResult();
            }

            return ValueTask.CompletedTask;
        }));
        await reached.Task; // the first block warms up and is not counted
        var (off, on) = (new SideTotals(), new SideTotals());
        for (var block = 1; block < consumeCount / ConsumeBlock; block++)
        {
            _tracing = block % 2 == 1;
            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var started = Stopwatch.GetTimestamp();
            Volatile.Write(ref target, (block + 1) * ConsumeBlock);
            if (Volatile.Read(ref handled) < (block + 1) * ConsumeBlock)
            {
                await reached.Task;
            }

            (_tracing ? on : off).Add(ConsumeBlock, Stopwatch.GetElapsedTime(started));
            _exported.Clear();
        }

        _tracing = false;
        await BenchContext.StopHostAsync(host);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  traced consume: {off.Turns} blocks of {ConsumeBlock:N0} per side (untraced, traced); untraced {off.Rate:N0}/s traced {on.Rate:N0}/s"));
        return (off.Rate, on.Rate);
    }
}
