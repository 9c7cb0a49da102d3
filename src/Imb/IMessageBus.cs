namespace Imb;

/// <summary>Subject-level messaging on NATS: durable JetStream publish (acknowledged or pipelined), notifications and request/reply.</summary>
public interface IMessageBus
{
    /// <summary>Raised for every enqueued message the stream did not store (after retries); also logged (event 404) and counted (<c>messaging.client.sent.messages</c> with <c>error.type</c>).</summary>
    /// <remarks>Raised on Imb's ack loop: keep handlers short and non-blocking.</remarks>
    event Action<PublishFailure>? EnqueueFailed;

    /// <summary>Publishes to a stream and returns once the stream has stored the message.</summary>
    /// <param name="subject">The subject; a stream must capture it.</param>
    /// <param name="payload">The message body.</param>
    /// <param name="options">Message id, headers and expectations.</param>
    /// <param name="cancellationToken">Cancels the wait; the message may still be stored.</param>
    /// <returns>The stream's acknowledgement; <see cref="PublishAck.Duplicate"/> when the id was seen before.</returns>
    /// <exception cref="ImbException">The message was refused or not stored; <see cref="ImbException.Kind"/> says why.</exception>
    ValueTask<PublishAck> PublishAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a message to a stream without waiting for its ack; returns once it is in the bounded in-flight window.</summary>
    /// <param name="subject">The subject; a stream must capture it.</param>
    /// <param name="payload">The message body.</param>
    /// <param name="options">Message id, headers and expectations.</param>
    /// <param name="cancellationToken">Cancels the wait for room in the window.</param>
    /// <returns>A task that completes when the message is accepted into the window.</returns>
    /// <remarks>Timeouts and lost connections are retried with the same id until <c>Imb:Publishing:RetryDeadline</c>; a failure is reported through <see cref="EnqueueFailed"/>.</remarks>
    ValueTask EnqueueAsync(string subject, ReadOnlyMemory<byte> payload, PublishOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Waits until every message enqueued before the call has been stored or reported failed.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>A task that completes when the window has drained.</returns>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends a notification at most once (core NATS): not stored, lost when nobody listens.</summary>
    /// <param name="subject">The subject.</param>
    /// <param name="payload">The message body.</param>
    /// <param name="headers">Optional headers.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message is handed to the connection.</returns>
    ValueTask NotifyAsync(string subject, ReadOnlyMemory<byte> payload, IReadOnlyDictionary<string, string>? headers = null, CancellationToken cancellationToken = default);

    /// <summary>Sends a request and returns the reply.</summary>
    /// <param name="subject">The subject a responder serves.</param>
    /// <param name="payload">The request body.</param>
    /// <param name="cancellationToken">Cancels the wait: the way to set a timeout.</param>
    /// <returns>The reply body.</returns>
    /// <exception cref="ImbException">Nobody answers (<see cref="ImbErrorKind.NoResponders"/>) or the responder failed (<see cref="ImbErrorKind.RemoteError"/>).</exception>
    ValueTask<ReadOnlyMemory<byte>> RequestAsync(string subject, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default);

    /// <summary>Answers requests on a subject until cancelled; a handler failure is sent back to the requester as its error.</summary>
    /// <param name="subject">The subject to serve (wildcards allowed).</param>
    /// <param name="handler">Computes the reply.</param>
    /// <param name="cancellationToken">Stops serving.</param>
    /// <returns>A task that completes when serving stops.</returns>
    Task ServeAsync(string subject, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask<ReadOnlyMemory<byte>>> handler, CancellationToken cancellationToken);

    /// <summary>Subscribes to a subject pattern for tools and tests: an ephemeral, unacknowledged view of what is published from now on.</summary>
    /// <param name="subject">The subject pattern (<c>*</c> and <c>&gt;</c> allowed).</param>
    /// <param name="cancellationToken">Cancels the subscribe.</param>
    /// <returns>The subscription, already registered with the server: nothing published after this returns is missed.</returns>
    /// <remarks>Durable, acknowledged consumption is <c>AddSubscription</c>'s job; this is for watching.</remarks>
    ValueTask<ILiveSubscription> SubscribeAsync(string subject, CancellationToken cancellationToken = default);
}
