using Imb;
using Imb.Events;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the typed event catalogue to Imb: <see cref="IEventBus"/>, <see cref="EventFactory"/> and event handlers.</summary>
public static class ImbEventsBuilderExtensions
{
    /// <summary>Registers <see cref="IEventBus"/> and <see cref="EventFactory"/>, and declares the events stream GDC_EVENTS in the default topology; the handler methods call it too.</summary>
    /// <param name="builder">The Imb builder.</param>
    /// <returns>The builder.</returns>
    public static IImbBuilder AddEvents(this IImbBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddSingleton<EventFactory>();
        builder.Services.TryAddSingleton<IEventBus, EventBus>();
        return builder.AddDefaultStream(EventTypes.Stream, events =>
        {
            events.Subjects.Add(EventTypes.SubjectPrefix + ">");
            events.Description = "GDC events (wire format 1.0)";
            events.MaxAge = TimeSpan.FromHours(24);
            events.MaxBytes = 1L << 30;
            events.MaxMessages = 1_000_000;
            events.Replicas = 1;
        });
    }

    /// <summary>Handles events of type <typeparamref name="TData"/> with a <typeparamref name="THandler"/>, on a durable consumer of GDC_EVENTS named <paramref name="name"/>.</summary>
    /// <typeparam name="TData">The payload type, which names the event type.</typeparam>
    /// <typeparam name="THandler">The handler; registered as scoped unless already registered.</typeparam>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The subscription's name (and consumer's).</param>
    /// <param name="configure">Adjusts the subscription (retries, concurrency); its filter is the event's subject.</param>
    /// <returns>The builder.</returns>
    /// <remarks>An event that cannot be read as <typeparamref name="TData"/> is dead-lettered at once with the reason.</remarks>
    public static IImbBuilder AddEventHandler<TData, THandler>(this IImbBuilder builder, string name, Action<SubscriptionOptions>? configure = null)
        where TData : EventData
        where THandler : class, IEventHandler<TData>
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddEvents();
        builder.Services.TryAddScoped<THandler>();
        var type = EventCatalog.NameOf(typeof(TData));
        return builder.AddSubscription(name, Subscribe(EventTypes.SubjectOf(type), configure), static (message, services, cancellationToken) =>
        {
            var envelope = EventSerializer.Deserialize(message.Data, message.Subject);
            return envelope.Data is TData data
                ? services.GetRequiredService<THandler>().HandleAsync(envelope, data, cancellationToken)
                : throw new ImbException($"Unreadable event: {envelope.Type} event {envelope.Id} does not carry {typeof(TData).Name}.") { Kind = ImbErrorKind.Poison };
        });
    }

    /// <summary>Handles every event whose type matches <paramref name="pattern"/> (NATS wildcards over the type: <c>pin.*</c>, <c>&gt;</c>).</summary>
    /// <typeparam name="THandler">The handler; registered as scoped unless already registered.</typeparam>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The subscription's name (and consumer's).</param>
    /// <param name="pattern">The type pattern.</param>
    /// <param name="configure">Adjusts the subscription; its filter is <c>gdc.events.&lt;pattern&gt;</c>.</param>
    /// <returns>The builder.</returns>
    public static IImbBuilder AddEventHandler<THandler>(this IImbBuilder builder, string name, string pattern, Action<SubscriptionOptions>? configure = null)
        where THandler : class, IEventPatternHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        builder.AddEvents();
        builder.Services.TryAddScoped<THandler>();
        return builder.AddSubscription(name, Subscribe(EventTypes.SubjectOf(pattern), configure), static (message, services, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync(EventSerializer.Deserialize(message.Data, message.Subject), cancellationToken));
    }

    private static Action<SubscriptionOptions> Subscribe(string filter, Action<SubscriptionOptions>? configure) => options =>
    {
        options.Stream = EventTypes.Stream;
        options.FilterSubject = filter;
        configure?.Invoke(options);
    };
}
