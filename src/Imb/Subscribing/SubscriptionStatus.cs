namespace Imb.Subscribing;

/// <summary>The live state of one subscription, written by its runner and read by the health check.</summary>
internal sealed class SubscriptionStatus(string name, string stream, string consumer)
{
    private readonly Lock _lock = new();
    private StatusSnapshot _snapshot = new(SubscriptionState.Starting, null, null, null);

    public string Name { get; } = name;

    public string Stream { get; } = stream;

    public string Consumer { get; } = consumer;

    /// <summary>Gets the subscription's pause switch, which its consume loop obeys.</summary>
    public SubscriptionPause Pause { get; } = new();

    /// <summary>Gets or sets where current counts come from when they are cheap to read (in memory), instead of <see cref="SetCounts"/>.</summary>
    public Func<(ulong Pending, ulong AckPending)>? Counts { get; set; }

    /// <summary>Gets or sets how many messages the subscription's handlers hold now (set by its runner).</summary>
    public Func<int> InFlight { get; set; } = static () => 0;

    public StatusSnapshot Snapshot
    {
        get
        {
            lock (_lock)
            {
                return Counts is { } counts && counts() is var (pending, ackPending) ? _snapshot with { Pending = pending, AckPending = ackPending } : _snapshot;
            }
        }
    }

    public void Set(SubscriptionState state, string? error = null)
    {
        lock (_lock)
        {
            _snapshot = _snapshot with { State = state, Error = error };
        }
    }

    /// <summary>
    /// Shows a pause the server holds (set by another instance, or before this host started) while the loop consumes:
    /// pulls then wait, and Consuming would not be true.
    /// </summary>
    public void ReflectServerPause(bool pausedOnServer)
    {
        lock (_lock)
        {
            if (pausedOnServer && _snapshot.State == SubscriptionState.Consuming)
            {
                _snapshot = _snapshot with { State = SubscriptionState.Paused, Error = null };
            }
            else if (!pausedOnServer && _snapshot.State == SubscriptionState.Paused && !Pause.IsPaused)
            {
                _snapshot = _snapshot with { State = SubscriptionState.Consuming };
            }
        }
    }

    public void SetCounts(ulong pending, ulong ackPending)
    {
        lock (_lock)
        {
            _snapshot = _snapshot with { Pending = pending, AckPending = ackPending };
        }
    }
}

/// <summary>One consistent view of a subscription's state, its last error and the consumer's counts.</summary>
internal sealed record StatusSnapshot(SubscriptionState State, string? Error, ulong? Pending, ulong? AckPending);
