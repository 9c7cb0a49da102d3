namespace Imb.Events;

/// <summary>Publishes events on <c>gdc.events.&lt;type&gt;</c>, de-duplicated by event id.</summary>
public interface IEventBus
{
    /// <summary>Publishes an event and returns once the stream has stored it.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Cancels the wait; the event may still be stored.</param>
    /// <returns>The stream's ack; <see cref="PublishAck.Duplicate"/> when the id was stored before.</returns>
    /// <exception cref="ImbException">The event was refused or not stored.</exception>
    ValueTask<PublishAck> PublishAsync(Event envelope, CancellationToken cancellationToken = default);

    /// <summary>Sends an event without waiting for its ack; failures are reported through <see cref="IMessageBus.EnqueueFailed"/>.</summary>
    /// <param name="envelope">The event.</param>
    /// <param name="cancellationToken">Cancels the wait for room in the in-flight window.</param>
    /// <returns>A task that completes when the event is in the window.</returns>
    ValueTask EnqueueAsync(Event envelope, CancellationToken cancellationToken = default);
}
