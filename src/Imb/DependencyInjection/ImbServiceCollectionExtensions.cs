using Imb;
using Imb.Connection;
using Imb.InMemory;
using Imb.DependencyInjection;
using Imb.Publishing;
using Imb.Server;
using Imb.Streams;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Imb in a service collection.</summary>
public static class ImbServiceCollectionExtensions
{
    /// <summary>Adds Imb: options bound from the <c>Imb</c> configuration section, the server, the connection and the hosted services.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Applied after configuration binding, so code wins over configuration.</param>
    /// <returns>A builder for streams and handlers.</returns>
    /// <remarks>
    /// Calling it again registers nothing twice; only <paramref name="configure"/> is applied. Hosted services start in
    /// this order and stop in reverse: embedded server, connection, stream provisioning, publishing, subscriptions.
    /// A health check named <c>imb</c> reports the connection and every subscription (see <see cref="ImbOptions.HealthCheck"/>).
    /// </remarks>
    public static IImbBuilder AddImb(this IServiceCollection services, Action<ImbOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!services.Any(d => d.ServiceType == typeof(ImbMarker)))
        {
            services.AddSingleton<ImbMarker>();
            services.AddOptions<ImbOptions>().BindConfiguration(ImbOptions.SectionName).ValidateOnStart();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImbOptions>, ImbOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImbOptions>, ImbOptionsConsistencyValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImbOptions>, StreamsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IPostConfigureOptions<ImbOptions>, DefaultTopology>());
            services.TryAddSingleton(TimeProvider.System);
            services.TryAddSingleton<EmbeddedNatsServer>();
            services.TryAddSingleton<ImbConnection>();
            services.TryAddSingleton<IImbServerInfo>(sp => sp.GetRequiredService<ImbConnection>());
            services.TryAddSingleton<BatchedStreams>();
            services.TryAddSingleton<StreamProvisioner>();
            services.TryAddSingleton<ModeSelection>();
            services.TryAddSingleton<StreamTopology>();
            services.TryAddSingleton<InMemoryTopology>();
            services.TryAddSingleton<IImbTopology>(sp => sp.GetRequiredService<ModeSelection>().Topology);
            services.AddMetrics();
            services.TryAddSingleton<MessageIds>();
            services.TryAddSingleton<FastIngestPublisher>();
            services.TryAddSingleton<JetStreamPublisher>();
            services.TryAddSingleton<PublishPipeline>();
            services.TryAddSingleton<NatsMessageBus>();
            services.TryAddSingleton<InMemoryBroker>();
            services.TryAddSingleton<InMemoryMessageBus>();
            services.TryAddSingleton<IMessageBus>(sp => sp.GetRequiredService<ModeSelection>().Bus);
            services.TryAddSingleton<ISubscriptions, SubscriptionControl>();
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SubscriptionOptions>, SubscriptionOptionsValidator>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SubscriptionOptions>, SubscriptionOptionsConsistencyValidator>());
            services.TryAddSingleton<ConsumerProvisioner>();
            services.TryAddSingleton<DeadLetterWriter>();
            services.TryAddSingleton<SubscriptionEvents>();
            services.TryAddSingleton<Imb.Diagnostics.PublishMetrics>();
            services.TryAddSingleton<Imb.Diagnostics.StateMetrics>();
            services.TryAddSingleton<IImbStatistics, Imb.Diagnostics.ImbStatistics>();
            services.TryAddSingleton<NatsSubscriptions>();
            services.TryAddSingleton<InMemorySubscriptions>();
            services.AddHealthChecks();

            // Registered once the options are known, so that configuration can name, tag or turn off the check.
            services.AddOptions<HealthCheckServiceOptions>().Configure<IOptions<ImbOptions>>((health, imb) =>
            {
                var check = imb.Value.HealthCheck;
                if (check.Enabled)
                {
                    IEnumerable<string> tags = check.Tags.Count > 0 ? check.Tags : ["imb"];
                    health.Registrations.Add(new HealthCheckRegistration(check.Name, sp => ActivatorUtilities.CreateInstance<ImbHealthCheck>(sp), check.FailureStatus, tags));
                }
            });
            services.TryAddSingleton<EmbeddedServerHostedService>();
            services.TryAddSingleton<ConnectionHostedService>();
            services.TryAddSingleton<StreamProvisioningHostedService>();

            // Start order; stop is the reverse. What runs depends on the mode, decided in ModeSelection alone.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ServerLifecycleHostedService>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, PublishingHostedService>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SubscriptionHostedService>());
            var builder = new ImbBuilder(services);
            foreach (var (name, declare) in DefaultTopology.Core)
            {
                builder.AddDefaultStream(name, declare);
            }
        }

        if (configure is not null)
        {
            services.Configure(configure);
        }

        return new ImbBuilder(services);
    }

    /// <summary>Marks a collection Imb was added to, so a second <c>AddImb</c> binds configuration only once.</summary>
    private sealed class ImbMarker;
}
