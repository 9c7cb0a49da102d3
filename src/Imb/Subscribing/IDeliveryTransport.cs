namespace Imb.Subscribing;

/// <summary>
/// What one transport (NATS or in-memory) does with a delivered message, for the one <see cref="MessageProcessor{TDelivery}"/>
/// both share: describe it, settle it, keep it alive while it is handled, and write its dead letter.
/// </summary>
/// <typeparam name="TDelivery">The transport's handle on one delivery (a NATS message, an in-memory log slot).</typeparam>
/// <remarks>A slot is one handler of the subscription; calls for one slot come from one worker at a time.</remarks>
internal interface IDeliveryTransport<TDelivery>
{
    /// <summary>Builds the message the handler sees.</summary>
    ReceivedMessage Describe(TDelivery delivery);

    /// <summary>The handler of <paramref name="slot"/> starts on the delivery: a transport with an ack wait keeps it alive until <see cref="End"/>.</summary>
    void Begin(int slot, TDelivery delivery);

    /// <summary>The handler of <paramref name="slot"/> is done with its delivery.</summary>
    void End(int slot);

    /// <summary>Acknowledges a handled delivery; may complete at once (and then costs no state machine).</summary>
    ValueTask AckAsync(TDelivery delivery, int slot, CancellationToken cancellationToken);

    /// <summary>Hands the delivery back for redelivery after <paramref name="delay"/>.</summary>
    ValueTask NakAsync(TDelivery delivery, TimeSpan delay, CancellationToken cancellationToken);

    /// <summary>Ends the delivery for good, after its dead letter was written; <paramref name="reason"/> is the letter's, on one line.</summary>
    ValueTask TerminateAsync(TDelivery delivery, string reason, CancellationToken cancellationToken);

    /// <summary>Leaves a delivery that stop kept from starting or finishing to be delivered again.</summary>
    void Release(TDelivery delivery);

    /// <summary>Stores a dead letter; throws if it is not stored.</summary>
    Task WriteDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken);
}
