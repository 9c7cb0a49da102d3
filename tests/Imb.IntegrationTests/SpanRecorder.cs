using System.Collections.Concurrent;
using System.Diagnostics;
using Imb.Testing;

namespace Imb.IntegrationTests;

/// <summary>Listens to Imb's activity source and keeps every span that ends (tests run in parallel: filter by subject).</summary>
internal sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();

    public SpanRecorder()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Imb",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Waits until a span named <paramref name="name"/> has ended, and returns it.</summary>
    public async Task<Activity> WaitForAsync(string name, CancellationToken cancellationToken)
    {
        Activity? found = null;
        await Waiter.UntilAsync(() => (found = _stopped.FirstOrDefault(a => a.DisplayName == name)) is not null, Waiter.Patience, $"span '{name}' to end", cancellationToken);
        return found!;
    }

    public void Dispose() => _listener.Dispose();
}
