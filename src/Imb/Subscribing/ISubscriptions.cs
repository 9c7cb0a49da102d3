namespace Imb;

/// <summary>Controls the host's hosted subscriptions while it runs, in every mode.</summary>
public interface ISubscriptions
{
    /// <summary>
    /// Pauses a subscription until <see cref="ResumeAsync"/>: it stops pulling, its in-flight handlers finish, and new
    /// messages stay pending. On nats-server 2.11 or later the consumer itself is paused too, for every instance that
    /// shares it and across host restarts; on older servers the pause holds in this process only (logged).
    /// </summary>
    /// <param name="name">The subscription's name, as declared.</param>
    /// <param name="cancellationToken">Cancels the request to the server.</param>
    /// <returns>A task that completes once the pause is in place (handlers still finishing are not waited for).</returns>
    /// <exception cref="ImbException">No such subscription, or the server refused the pause.</exception>
    ValueTask PauseAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Resumes a paused subscription (on the server first, where it was paused there); resuming one that runs does nothing.</summary>
    /// <param name="name">The subscription's name, as declared.</param>
    /// <param name="cancellationToken">Cancels the request to the server.</param>
    /// <returns>A task that completes once the subscription pulls again.</returns>
    /// <exception cref="ImbException">No such subscription, or the server refused to resume.</exception>
    ValueTask ResumeAsync(string name, CancellationToken cancellationToken = default);
}
