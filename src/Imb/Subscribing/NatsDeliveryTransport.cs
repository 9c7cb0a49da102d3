using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// Deliveries of a JetStream pull consumer: acks, naks and terminations go to the server, handlers that run long are
/// kept alive with progress acks (<see cref="InFlight"/>), dead letters are published to the dead-letter stream.
/// </summary>
internal sealed class NatsDeliveryTransport(DeliverySource source, DeadLetterWriter deadLetters, int slots, TimeProvider time)
    : IDeliveryTransport<INatsJSMsg<ReadOnlyMemory<byte>>>
{
    /// <summary>Gets the messages the handlers are working on, for progress acks and the count at stop.</summary>
    public InFlightMessages InFlight { get; } = new(slots, time);

    public ReceivedMessage Describe(INatsJSMsg<ReadOnlyMemory<byte>> delivery)
    {
        // The ack subject says it all, once parsed; NATS.Net's Metadata parses it again (and allocates) on every read.
        if (AckSubject.TryParse(delivery.ReplyTo, out var delivered, out var sequence, out var timestamp))
        {
            return new ReceivedMessage(delivery.Subject, delivery.Data, delivery.Headers)
            {
                Source = source,
                StreamSequence = sequence,
                DeliveryCount = delivered,
                Timestamp = timestamp,
            };
        }

        var metadata = delivery.Metadata;
        return new ReceivedMessage(delivery.Subject, delivery.Data, delivery.Headers)
        {
            Source = metadata is { Stream: { } stream, Consumer: { } consumer } && (stream != source.Stream || consumer != source.Consumer) ? new DeliverySource(stream, consumer) : source,
            StreamSequence = metadata?.Sequence.Stream ?? 0,
            DeliveryCount = metadata is { } m ? (int)Math.Min(m.NumDelivered, int.MaxValue) : 1,
            Timestamp = metadata?.Timestamp,
        };
    }

    public void Begin(int slot, INatsJSMsg<ReadOnlyMemory<byte>> delivery) => InFlight.Begin(slot, delivery);

    public void End(int slot) => InFlight.End(slot);

    public ValueTask AckAsync(INatsJSMsg<ReadOnlyMemory<byte>> delivery, int slot, CancellationToken cancellationToken) =>
        delivery.AckAsync(cancellationToken: cancellationToken);

    public ValueTask NakAsync(INatsJSMsg<ReadOnlyMemory<byte>> delivery, TimeSpan delay, CancellationToken cancellationToken) =>
        delivery.NakAsync(new AckOpts { NakDelay = delay }, cancellationToken);

    // A plain +TERM: nats-server 2.9 redelivers a message terminated with a reason.
    public ValueTask TerminateAsync(INatsJSMsg<ReadOnlyMemory<byte>> delivery, CancellationToken cancellationToken) =>
        delivery.AckTerminateAsync(cancellationToken: cancellationToken);

    public void Release(INatsJSMsg<ReadOnlyMemory<byte>> delivery)
    {
        // Left unacked: the server redelivers it after the ack wait. Not a nak: nats-server 2.9 hands a nakked message
        // straight back to the pull request that is closing.
    }

    public Task WriteDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) => deadLetters.WriteAsync(letter, cancellationToken);
}
