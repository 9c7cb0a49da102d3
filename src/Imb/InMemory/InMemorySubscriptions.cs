using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.InMemory;

/// <summary>Every subscription as a durable consumer of the in-memory broker, each run by an <see cref="InMemorySubscriber"/>.</summary>
internal sealed class InMemorySubscriptions(
    IOptions<SubscriptionRegistry> registry, IOptionsMonitor<SubscriptionOptions> subscriptions, InMemoryBroker broker,
    InMemoryMessageBus bus, IServiceScopeFactory scopes, SubscriptionEvents events, ILoggerFactory loggerFactory) : ISubscriptionEngine
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Subscribing");
    private IReadOnlyList<InMemorySubscriber> _subscribers = [];

    public IReadOnlyList<SubscriptionStatus> Statuses => [.. _subscribers.Select(s => s.Status)];

    public int InFlight => _subscribers.Sum(s => s.InFlight);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _subscribers = [.. registry.Value.Subscriptions.Values.Select(r =>
        {
            var declared = subscriptions.Get(r.Name);
            return new InMemorySubscriber(r, declared, broker.Consumer(r.Name, declared), bus, scopes, events, _logger);
        })];
        return Task.CompletedTask;
    }

    public Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers) =>
        Task.WhenAll(_subscribers.Select(s => s.RunAsync(stopPulling, abortHandlers)));

    // Acks reach the in-memory consumer when they are sent: nothing is on its way.
    public Task AfterStopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
