using Imb.Connection;
using Imb.InMemory;
using Imb.Publishing;
using Imb.Server;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Imb.DependencyInjection;

/// <summary>
/// The one place that reads <see cref="ImbOptions.Mode"/> and decides which implementation backs each seam: the bus,
/// the topology, the subscriptions, the server's lifecycle and what the health check reports. Nothing else asks the mode.
/// </summary>
internal sealed class ModeSelection(IOptions<ImbOptions> options, IServiceProvider services)
{
    /// <summary>Gets a value indicating whether a NATS server is used (Embedded or External), not the in-memory broker.</summary>
    public bool UsesServer => options.Value.Mode != ImbMode.InMemory;

    public IMessageBus Bus => UsesServer ? services.GetRequiredService<NatsMessageBus>() : services.GetRequiredService<InMemoryMessageBus>();

    public IImbTopology Topology => UsesServer ? services.GetRequiredService<StreamTopology>() : services.GetRequiredService<InMemoryTopology>();

    public ISubscriptionEngine Subscriptions =>
        UsesServer ? services.GetRequiredService<NatsSubscriptions>() : services.GetRequiredService<InMemorySubscriptions>();

    /// <summary>Gets how many enqueued messages await their ack: in memory none, as enqueueing stores at once.</summary>
    public int PublishWindow => UsesServer ? services.GetRequiredService<PublishPipeline>().WindowDepth : 0;

    /// <summary>Gets what starts before everything else and stops after it, in start order: the server, the connection, the streams.</summary>
    public IReadOnlyList<IHostedLifecycleService> ServerLifecycle => options.Value.Mode switch
    {
        ImbMode.Embedded => [services.GetRequiredService<EmbeddedServerHostedService>(), .. Connected()],
        ImbMode.External => Connected(),
        _ => [],
    };

    private IHostedLifecycleService[] Connected() =>
        [services.GetRequiredService<ConnectionHostedService>(), services.GetRequiredService<StreamProvisioningHostedService>()];
}
