namespace Imb.Subscribing;

/// <summary>
/// A subscription's pause switch, the same in both modes: while paused its consume loop stops pulling and waits,
/// in-flight handlers finish, and what was fetched but not started goes back to the broker. The NATS runner adds the
/// server's own consumer pause (<see cref="OnServer"/>), which holds deliveries for every instance of the consumer.
/// </summary>
internal sealed class SubscriptionPause
{
    private readonly Lock _lock = new();
    private CancellationTokenSource? _spell;
    private TaskCompletionSource _resumed = Completed();

    public bool IsPaused
    {
        get
        {
            lock (_lock)
            {
                return !_resumed.Task.IsCompleted;
            }
        }
    }

    /// <summary>Gets or sets what pauses (true) or resumes (false) the consumer on the server; returns where the pause holds, for the log.</summary>
    public Func<bool, CancellationToken, Task<string>>? OnServer { get; set; }

    /// <summary>Pauses; the server first, so a refusal leaves the subscription as it was. Returns where the pause holds.</summary>
    public async Task<string> PauseAsync(CancellationToken cancellationToken)
    {
        var where = OnServer is { } server ? await server(true, cancellationToken).ConfigureAwait(false) : "in memory";
        lock (_lock)
        {
            if (_resumed.Task.IsCompleted)
            {
                _resumed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

                // Under the lock, so the loop cannot dispose the spell meanwhile; its callbacks only end pulls.
                _spell?.Cancel();
            }
        }

        return where;
    }

    /// <summary>Resumes; the server first, then pulling again here.</summary>
    public async Task<string> ResumeAsync(CancellationToken cancellationToken)
    {
        var where = OnServer is { } server ? await server(false, cancellationToken).ConfigureAwait(false) : "in memory";
        TaskCompletionSource resumed;
        lock (_lock)
        {
            resumed = _resumed;
        }

        resumed.TrySetResult();
        return where;
    }

    /// <summary>Runs <paramref name="consume"/> in spells between pauses until <paramref name="stop"/>; each spell ends when its token fires.</summary>
    public async Task RunAsync(Func<CancellationToken, Task> consume, SubscriptionStatus status, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Task resumed;
            CancellationTokenSource? spell = null;
            lock (_lock)
            {
                resumed = _resumed.Task;
                if (resumed.IsCompleted)
                {
                    _spell = spell = CancellationTokenSource.CreateLinkedTokenSource(stop);
                }
            }

            if (spell is null)
            {
                status.Set(SubscriptionState.Paused);
                try
                {
                    await resumed.WaitAsync(stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            try
            {
                await consume(spell.Token).ConfigureAwait(false);
            }
            finally
            {
                lock (_lock)
                {
                    _spell = null;
                }

                spell.Dispose();
            }
        }
    }

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource();
        done.SetResult();
        return done;
    }
}
