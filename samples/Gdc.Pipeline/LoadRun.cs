using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Imb;
using Imb.Events;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gdc.Pipeline;

/// <summary>
/// `--publish N`: sends N pin.requested events (and some unreadable messages), shows progress while the pipeline
/// works, and ends with a summary. Completion is what comes out of the loop: a pin.completed event for the content.
/// </summary>
internal sealed class LoadRun(IServiceProvider services, ILogger logger)
{
    private static readonly TimeSpan StallLimit = TimeSpan.FromSeconds(30);
    private long _completed;
    private long _deadLettered;
    private long _lastCompletion;

    public async Task<int> RunAsync(int count, int unreadable, CancellationToken cancellationToken)
    {
        var bus = services.GetRequiredService<IMessageBus>();
        var events = services.GetRequiredService<EventFactory>();
        var eventBus = services.GetRequiredService<IEventBus>();
        var stats = services.GetRequiredService<PipelineStats>();
        var run = "QmDemo" + Guid.NewGuid().ToString("N")[..8];
        await using var completions = await bus.SubscribeAsync(EventTypes.SubjectOf(EventTypes.PinCompleted), cancellationToken);
        await using var deadLetters = await bus.SubscribeAsync("imb.dlq.>", cancellationToken);
        using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watchers = Task.WhenAll(CountCompletionsAsync(completions, run, watching.Token), CountAsync(deadLetters, watching.Token));

        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var cid = string.Create(CultureInfo.InvariantCulture, $"{run}-{i}");
            var pin = new PinRequested(cid, 1024 + i, ["rf-3"], new Dictionary<string, string> { ["priority"] = "normal" }, 1, "demo");
            await eventBus.EnqueueAsync(events.Create("api-gateway", cid, pin, traceId: Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())), cancellationToken);
        }

        for (var i = 0; i < unreadable; i++)
        {
            await bus.PublishAsync(EventTypes.SubjectOf(EventTypes.PinRequested), Encoding.UTF8.GetBytes($"not an event #{i}"), cancellationToken: cancellationToken);
        }

        await bus.FlushAsync(cancellationToken);
        Console.WriteLine($"published {count} pin.requested and {unreadable} unreadable messages");
        var finished = await WaitAsync(count, unreadable, stats, cancellationToken);
        var elapsed = Stopwatch.GetElapsedTime(started, Math.Max(Interlocked.Read(ref _lastCompletion), started));
        await watching.CancelAsync();
        await watchers;

        var completed = Interlocked.Read(ref _completed);
        Console.WriteLine($"  planned {stats.PlannedCount}  executed {stats.ExecutedCount}  completed {completed}/{count}  dead-lettered {Interlocked.Read(ref _deadLettered)}");
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"summary: {completed}/{count} pins completed, {Interlocked.Read(ref _deadLettered)} dead-lettered, in {elapsed.TotalSeconds:F1} s ({completed / elapsed.TotalSeconds:F0} pins/s through 4 events each)"));
        await StatisticsReport.PrintAsync(services.GetRequiredService<IImbStatistics>(), cancellationToken);
        if (!finished)
        {
            logger.LoadStalled(count - completed, StallLimit);
        }

        return finished ? 0 : 1;
    }

    private async Task<bool> WaitAsync(int count, int unreadable, PipelineStats stats, CancellationToken cancellationToken)
    {
        var lastProgress = Stopwatch.GetTimestamp();
        var lastPrint = Stopwatch.GetTimestamp();
        var last = -1L;
        while (Interlocked.Read(ref _completed) < count || Interlocked.Read(ref _deadLettered) < unreadable)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
            var completed = Interlocked.Read(ref _completed);
            if (Stopwatch.GetElapsedTime(lastPrint) >= TimeSpan.FromSeconds(1))
            {
                lastPrint = Stopwatch.GetTimestamp();
                Console.WriteLine($"  planned {stats.PlannedCount}  executed {stats.ExecutedCount}  completed {completed}/{count}  dead-lettered {Interlocked.Read(ref _deadLettered)}");
            }

            if (completed != last)
            {
                (last, lastProgress) = (completed, Stopwatch.GetTimestamp());
            }
            else if (Stopwatch.GetElapsedTime(lastProgress) > StallLimit)
            {
                return false;
            }
        }

        return true;
    }

    private async Task CountCompletionsAsync(ILiveSubscription completions, string run, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in completions.WithCancellation(cancellationToken))
            {
                using var body = JsonDocument.Parse(message.Data);
                if (body.RootElement.GetProperty("subject").GetString()?.StartsWith(run, StringComparison.Ordinal) == true)
                {
                    Interlocked.Increment(ref _completed);
                    Interlocked.Exchange(ref _lastCompletion, Stopwatch.GetTimestamp());
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }

    private async Task CountAsync(ILiveSubscription deadLetters, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in deadLetters.WithCancellation(cancellationToken))
            {
                Interlocked.Increment(ref _deadLettered);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The run is over.
        }
    }
}
