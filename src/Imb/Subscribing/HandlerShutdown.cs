using Microsoft.Extensions.Logging;

namespace Imb.Subscribing;

/// <summary>
/// How both subscribers stop: pulling stops first, in-flight handlers get <c>Imb:Subscribing:ShutdownTimeout</c>
/// (or until the host's own stop deadline) before their token is cancelled.
/// </summary>
internal sealed class HandlerShutdown(ILogger logger) : IDisposable
{
    private readonly CancellationTokenSource _abort = new();

    /// <summary>Gets the token handlers run with: cancelled once the shutdown timeout has passed.</summary>
    public CancellationToken AbortHandlers => _abort.Token;

    /// <summary>Logs, arms the timeout, and runs <paramref name="stopPulling"/> (the BackgroundService's own stop) under it.</summary>
    public async Task StopAsync(int inFlight, TimeSpan timeout, Func<Task> stopPulling, CancellationToken cancellationToken)
    {
        logger.SubscriptionsStopping(inFlight, timeout);
        _abort.CancelAfter(timeout);
        await using (cancellationToken.Register(_abort.Cancel).ConfigureAwait(false))
        {
            await stopPulling().ConfigureAwait(false);
        }
    }

    public void Dispose() => _abort.Dispose();
}
