namespace Imb.Testing;

/// <summary>Waits for a condition to become true, failing with a message that says what was awaited.</summary>
public static class Waiter
{
    /// <summary>Gets how long a test waits for a condition before it fails: long enough for a loaded CI machine, short enough to fail.</summary>
    public static TimeSpan Patience { get; } = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes.</summary>
    /// <param name="condition">The condition; it must be cheap and must not block.</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="description">What is awaited, for the failure message ("the server to restart").</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time.</exception>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = TimeProvider.System.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        while (!condition())
        {
            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {description}, in vain.");
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Backoff.Next(delay, TimeSpan.FromMilliseconds(100));
        }
    }

    /// <summary>Evaluates <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes; for conditions that ask a server.</summary>
    /// <param name="condition">The condition; a failure of it counts as "not yet".</param>
    /// <param name="timeout">How long to wait at most.</param>
    /// <param name="description">What is awaited, for the failure message.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the condition holds.</returns>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message carries the last failure of the condition.</exception>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, string description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var started = TimeProvider.System.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(5);
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition(cancellationToken).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                last = e;
            }

            if (TimeProvider.System.GetElapsedTime(started) > timeout)
            {
                throw new TimeoutException($"Waited {timeout} for {description}, in vain{(last is null ? "." : $"; last failure: {last.Message}")}", last);
            }

            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Backoff.Next(delay, TimeSpan.FromMilliseconds(100));
        }
    }
}
