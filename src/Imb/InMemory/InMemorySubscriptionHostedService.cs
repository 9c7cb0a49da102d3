using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.InMemory;

/// <summary>Runs every subscription on the in-memory broker when Imb:Mode is InMemory; the NATS subscriber stands aside then.</summary>
internal sealed class InMemorySubscriptionHostedService(
    IOptions<SubscriptionRegistry> registry, IOptionsMonitor<SubscriptionOptions> subscriptions, IOptions<ImbOptions> options, InMemoryBroker broker,
    IServiceProvider services, SubscriptionEvents events, ILoggerFactory loggerFactory) : BackgroundService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Subscribing");
    private readonly ILogger _streamsLogger = loggerFactory.CreateLogger("Imb.Streams");
    private HandlerShutdown? _shutdown;
    private IReadOnlyList<InMemorySubscriber> _subscribers = [];

    public IEnumerable<SubscriptionStatus> Statuses => _subscribers.Select(s => s.Status);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Mode != ImbMode.InMemory)
        {
            return Task.CompletedTask;
        }

        foreach (var (name, declared) in options.Value.Streams)
        {
            // Said once at start, so that a test relying on one of these learns why it behaves otherwise than on NATS.
            if (_streamsLogger.IsEnabled(LogLevel.Information) && UnenforcedSettings.Of(declared) is { Count: > 0 } unenforced)
            {
                _streamsLogger.InMemoryLimitsNotEnforced(name, string.Join(", ", unenforced));
            }
        }

        _shutdown = new HandlerShutdown(_logger);
        var bus = services.GetRequiredService<InMemoryMessageBus>();
        var scopes = services.GetRequiredService<IServiceScopeFactory>();
        _subscribers = [.. registry.Value.Subscriptions.Values.Select(r =>
        {
            var declared = subscriptions.Get(r.Name);
            return new InMemorySubscriber(r, declared, broker.Consumer(r.Name, declared), bus, scopes, events, _logger);
        })];
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_subscribers.Count == 0 || _shutdown is null)
        {
            return;
        }

        var inFlight = _subscribers.Sum(s => s.InFlight);
        await _shutdown.StopAsync(inFlight, options.Value.Subscribing.ShutdownTimeout, () => base.StopAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        _logger.SubscriptionsStopped();
    }

    public override void Dispose()
    {
        _shutdown?.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(_subscribers.Select(s => s.RunAsync(stoppingToken, _shutdown!.AbortHandlers)));
}
