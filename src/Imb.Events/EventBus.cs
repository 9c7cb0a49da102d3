namespace Imb.Events;

/// <summary>The <see cref="IEventBus"/> over Imb's <see cref="IMessageBus"/>: serialises, sets the id and trace headers, publishes.</summary>
internal sealed class EventBus(IMessageBus bus) : IEventBus
{
    public ValueTask<PublishAck> PublishAsync(Event envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return bus.PublishAsync(envelope.NatsSubject, EventSerializer.Serialize(envelope), OptionsFor(envelope), cancellationToken);
    }

    public ValueTask EnqueueAsync(Event envelope, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return bus.EnqueueAsync(envelope.NatsSubject, EventSerializer.Serialize(envelope), OptionsFor(envelope), cancellationToken);
    }

    private static PublishOptions OptionsFor(Event envelope)
    {
        var options = new PublishOptions { MessageId = envelope.Id };
        if (TraceParent.From(envelope.TraceId, envelope.Id) is { } traceParent)
        {
            options.Headers[TraceParent.HeaderName] = traceParent;
        }

        return options;
    }
}
