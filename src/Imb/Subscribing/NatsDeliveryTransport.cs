using System.Collections.Concurrent;
using System.Text;
using Imb.Connection;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// Deliveries of a JetStream pull consumer: acks, naks and terminations go to the server, handlers that run long are
/// kept alive with progress acks (<see cref="InFlight"/>), dead letters are published to the dead-letter stream.
/// </summary>
internal sealed class NatsDeliveryTransport(DeliverySource source, DeadLetterWriter deadLetters, IImbServerInfo server, int slots, TimeProvider time)
    : IDeliveryTransport<INatsJSMsg<ReadOnlyMemory<byte>>>
{
    // Acks a ping confirms at most: a bound on what the ledger holds between pings at high rates.
    private const int ConfirmEvery = 4096;
    private static readonly ReadOnlyMemory<byte> AckPayload = "+ACK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> TerminatePayload = "+TERM"u8.ToArray();
    private readonly ConcurrentQueue<INatsJSMsg<ReadOnlyMemory<byte>>> _released = new();

    /// <summary>Gets the messages the handlers are working on, for progress acks and the count at stop.</summary>
    public InFlightMessages InFlight { get; } = new(slots, time);

    /// <summary>Gets the acks and terminations sent that the server has not been seen to read (see <see cref="AckLedger"/>).</summary>
    public AckLedger Acks { get; } = new(ConfirmEvery);

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
        Recorded(delivery.AckAsync(cancellationToken: cancellationToken), delivery.ReplyTo, AckPayload);

    public ValueTask NakAsync(INatsJSMsg<ReadOnlyMemory<byte>> delivery, TimeSpan delay, CancellationToken cancellationToken) =>
        delivery.NakAsync(new AckOpts { NakDelay = delay }, cancellationToken);

    // With the reason where the server takes one (it shows in the MSG_TERMINATED advisory); a plain +TERM before 2.10.4,
    // which redelivers a message terminated with a reason.
    public ValueTask TerminateAsync(INatsJSMsg<ReadOnlyMemory<byte>> delivery, string reason, CancellationToken cancellationToken) =>
        ServerFeatureGate.Supports(server.ServerVersion, ServerFeature.TerminateWithReason)
            ? Recorded(delivery.AckTerminateAsync(new AckOpts { TerminateReason = reason }, cancellationToken), delivery.ReplyTo, Encoding.UTF8.GetBytes($"+TERM {reason}"))
            : Recorded(delivery.AckTerminateAsync(cancellationToken: cancellationToken), delivery.ReplyTo, TerminatePayload);

    // Not nakked here: a nak while the session's pulls are open would have the server deliver it straight back to
    // them. HandBackReleasedAsync naks once they are closed.
    public void Release(INatsJSMsg<ReadOnlyMemory<byte>> delivery) => _released.Enqueue(delivery);

    /// <summary>
    /// Naks the messages released unhandled (buffered at stop, handlers aborted), once the session's pulls are closed:
    /// the server then redelivers them at once to another pull, instead of after the ack wait.
    /// </summary>
    /// <returns>How many were handed back, and the error that stopped the rest (they wait out the ack wait).</returns>
    public async Task<(int HandedBack, int Left, Exception? Error)> HandBackReleasedAsync(CancellationToken cancellationToken)
    {
        var handedBack = 0;
        while (_released.TryPeek(out var delivery))
        {
            try
            {
                await delivery.NakAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                var left = _released.Count;
                _released.Clear();
                return (handedBack, left, e);
            }

            _released.TryDequeue(out _);
            handedBack++;
        }

        return (handedBack, 0, null);
    }

    // Recorded once written to the connection, so that a ping sent after it answers for it.
    private ValueTask Recorded(ValueTask sending, string? replyTo, ReadOnlyMemory<byte> payload)
    {
        if (replyTo is null)
        {
            return sending;
        }

        if (sending.IsCompletedSuccessfully)
        {
            sending.GetAwaiter().GetResult(); // completed: this only releases a pooled ValueTask source
            Acks.Record(replyTo, payload);
            return ValueTask.CompletedTask;
        }

        return RecordedAsync(sending, replyTo, payload);
    }

    private async ValueTask RecordedAsync(ValueTask sending, string replyTo, ReadOnlyMemory<byte> payload)
    {
        await sending.ConfigureAwait(false);
        Acks.Record(replyTo, payload);
    }

    public Task WriteDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) => deadLetters.WriteAsync(letter, cancellationToken);
}
