using Imb;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Declares streams, handlers and server settings on an <see cref="IImbBuilder"/>.</summary>
public static class ImbBuilderExtensions
{
    /// <summary>Declares a stream this service owns (or, with VerifyOnly provisioning, relies on).</summary>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The stream's name (letters, digits, '_' and '-').</param>
    /// <param name="configure">Sets the stream's subjects and limits; applied after configuration binding.</param>
    /// <returns>The builder.</returns>
    public static IImbBuilder AddStream(this IImbBuilder builder, string name, Action<StreamOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.Configure<ImbOptions>(options =>
        {
            if (!options.Streams.TryGetValue(name, out var stream))
            {
                stream = new StreamOptions();
                options.Streams[name] = stream;
            }

            configure(stream);
        });
        return builder;
    }

    /// <summary>
    /// Declares a stream of the default topology, as the core declares SYSTEM and IMB_DLQ: declared unless
    /// <c>Imb:DefaultTopology</c> is false, and replaced by a stream declared under the same name in configuration or code.
    /// </summary>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The stream's name.</param>
    /// <param name="declare">Sets the default subjects and limits.</param>
    /// <returns>The builder.</returns>
    /// <remarks>For packages built on Imb (Imb.Events declares GDC_EVENTS this way); the first declaration of a name wins.</remarks>
    public static IImbBuilder AddDefaultStream(this IImbBuilder builder, string name, Action<StreamOptions> declare)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(declare);
        builder.Services.Configure<DefaultStreams>(defaults => defaults.Streams.TryAdd(name, declare));
        return builder;
    }

    /// <summary>Adds a durable subscription whose messages a <typeparamref name="THandler"/> handles, resolved from a new DI scope per message.</summary>
    /// <typeparam name="THandler">The handler; registered as scoped unless already registered.</typeparam>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The subscription's name: the configuration key <c>Imb:Subscriptions:&lt;name&gt;</c> and, by default, the consumer's name.</param>
    /// <param name="configure">Sets the stream, filter and retry settings; applied after configuration binding.</param>
    /// <returns>The builder.</returns>
    public static IImbBuilder AddSubscription<THandler>(this IImbBuilder builder, string name, Action<SubscriptionOptions> configure)
        where THandler : class, IMessageHandler
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddScoped<THandler>();
        return builder.AddSubscription(name, configure, static (message, services, cancellationToken) =>
            services.GetRequiredService<THandler>().HandleAsync(message, cancellationToken));
    }

    /// <summary>Adds a durable subscription handled by a delegate.</summary>
    /// <param name="builder">The Imb builder.</param>
    /// <param name="name">The subscription's name: the configuration key <c>Imb:Subscriptions:&lt;name&gt;</c> and, by default, the consumer's name.</param>
    /// <param name="configure">Sets the stream, filter and retry settings; applied after configuration binding.</param>
    /// <param name="handler">Handles one message with the services of that message's DI scope; throwing retries it, see <see cref="IMessageHandler"/>.</param>
    /// <returns>The builder.</returns>
    /// <remarks>A name registered twice fails host start.</remarks>
    public static IImbBuilder AddSubscription(
        this IImbBuilder builder, string name, Action<SubscriptionOptions> configure, Func<ReceivedMessage, IServiceProvider, CancellationToken, ValueTask> handler)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);
        ArgumentNullException.ThrowIfNull(handler);
        builder.Services.AddOptions<SubscriptionOptions>(name).BindConfiguration($"{ImbOptions.SectionName}:Subscriptions:{name}").Configure(configure).ValidateOnStart();
        builder.Services.Configure<SubscriptionRegistry>(registry =>
        {
            if (!registry.Subscriptions.TryAdd(name, new SubscriptionRegistration(name, handler)))
            {
                throw new ImbException($"Subscription {name} is registered twice; each subscription needs its own name.") { Kind = ImbErrorKind.Invalid };
            }
        });
        return builder;
    }
}
