namespace Imb.Diagnostics;

/// <summary>What one subscription settled since the host started, for <see cref="IImbStatistics"/>; the same in both modes.</summary>
internal sealed class SubscriptionCounters(TimeProvider time)
{
    private readonly RateWindow _handledRate = new(time);
    private long _handled;
    private long _failed;
    private long _deadLettered;
    private long _lastHandledTicks;
    private string? _lastError;

    public long Handled => Interlocked.Read(ref _handled);

    public long Failed => Interlocked.Read(ref _failed);

    public long DeadLettered => Interlocked.Read(ref _deadLettered);

    public DateTimeOffset? LastHandledAt => Interlocked.Read(ref _lastHandledTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public string? LastError => Volatile.Read(ref _lastError);

    public double HandledPerSecond => _handledRate.PerSecond();

    /// <summary>Counts one settled delivery by the processor's outcome (<c>acked</c>, <c>retried</c>, <c>dead-lettered</c>, ...).</summary>
    public void Settled(string outcome, Exception? failure)
    {
        switch (outcome)
        {
            case "acked":
                Interlocked.Increment(ref _handled);
                Interlocked.Exchange(ref _lastHandledTicks, time.GetUtcNow().UtcTicks);
                _handledRate.Add();
                break;
            case "retried":
                Interlocked.Increment(ref _failed);
                break;
            case "dead-lettered":
                Interlocked.Increment(ref _deadLettered);
                break;
        }

        if (failure is not null)
        {
            Volatile.Write(ref _lastError, $"{failure.GetType().Name}: {failure.Message}");
        }
    }
}
