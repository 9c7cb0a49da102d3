using Imb.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.Subscribing;

/// <summary>
/// Runs every subscription of the mode's engine: makes them ready at start (a failure fails host start), then one
/// supervised consume loop each. On stop: pulling stops, in-flight handlers get <c>Imb:Subscribing:ShutdownTimeout</c> to finish.
/// </summary>
internal sealed class SubscriptionHostedService : BackgroundService
{
    private readonly SubscribingOptions _options;
    private readonly ILogger _logger;
    private readonly HandlerShutdown _shutdown;

    // The state metrics are taken here, so that their gauges exist from host start: they read the engine's states.
    public SubscriptionHostedService(ModeSelection mode, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, Diagnostics.StateMetrics metrics)
    {
        _ = metrics;
        Engine = mode.Subscriptions;
        _options = options.Value.Subscribing;
        _logger = loggerFactory.CreateLogger("Imb.Subscribing");
        _shutdown = new HandlerShutdown(_logger);
    }

    public ISubscriptionEngine Engine { get; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await Engine.StartAsync(cancellationToken).ConfigureAwait(false);
        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Engine.Statuses.Count == 0)
        {
            return;
        }

        await _shutdown.StopAsync(Engine.InFlight, _options.ShutdownTimeout, () => base.StopAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        await Engine.AfterStopAsync(cancellationToken).ConfigureAwait(false);
        _logger.SubscriptionsStopped();
    }

    public override void Dispose()
    {
        _shutdown.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Engine.RunAsync(stoppingToken, _shutdown.AbortHandlers);
}
