namespace Imb.Testing;

/// <summary>Waits for a condition to become true, failing with a message that says what was awaited.</summary>
public static class Waiter
{
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
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 100));
        }
    }
}
