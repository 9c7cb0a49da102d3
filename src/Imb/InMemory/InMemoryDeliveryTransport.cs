using Imb.Subscribing;

namespace Imb.InMemory;

/// <summary>
/// Deliveries of an in-memory consumer: acks are held per slot and sent a batch at a time (<see cref="SendAcks"/>),
/// naks and terminations go to the consumer at once, dead letters to the in-memory dead-letter stream.
/// </summary>
/// <remarks>There is no ack wait in memory (a handler holds its message until it returns), so nothing is kept alive.</remarks>
internal sealed class InMemoryDeliveryTransport : IDeliveryTransport<Delivery>
{
    private readonly InMemoryConsumer _consumer;
    private readonly InMemoryMessageBus _bus;
    private readonly DeliverySource _source;
    private readonly PendingAcks[] _acks;

    public InMemoryDeliveryTransport(InMemoryConsumer consumer, InMemoryMessageBus bus, int slots, int batchSize)
    {
        _consumer = consumer;
        _bus = bus;
        _source = new DeliverySource(consumer.Stream, consumer.Name);
        _acks = [.. Enumerable.Range(0, slots).Select(_ => new PendingAcks(consumer, batchSize))];
    }

    public DeliverySource Source => _source;

    public ReceivedMessage Describe(Delivery delivery)
    {
        ref readonly var stored = ref delivery.Message;
        return new ReceivedMessage(stored.Subject, stored.Data, stored.Headers, stored.CallerId, stored.GeneratedId)
        {
            Source = _source,
            StreamSequence = stored.Sequence,
            DeliveryCount = delivery.Count,
            Timestamp = stored.Timestamp,
        };
    }

    public void Begin(int slot, Delivery delivery)
    {
    }

    public void End(int slot)
    {
    }

    public ValueTask AckAsync(Delivery delivery, int slot, CancellationToken cancellationToken)
    {
        _acks[slot].Add(delivery.Message.Sequence);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends the acks slot <paramref name="slot"/> holds; its worker calls this before it waits for anything.</summary>
    public void SendAcks(int slot) => _acks[slot].Send();

    public ValueTask NakAsync(Delivery delivery, TimeSpan delay, CancellationToken cancellationToken)
    {
        _consumer.Nak(delivery.Message.Sequence, delay);
        return ValueTask.CompletedTask;
    }

    public ValueTask TerminateAsync(Delivery delivery, string reason, CancellationToken cancellationToken)
    {
        _consumer.Ack(delivery.Message.Sequence);
        return ValueTask.CompletedTask;
    }

    // Back to the consumer at once, as NATS redelivers what a stopped subscriber never settled.
    public void Release(Delivery delivery) => _consumer.Nak(delivery.Message.Sequence, TimeSpan.Zero);

    public Task WriteDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        _bus.WriteDeadLetter(letter);
        return Task.CompletedTask;
    }
}
