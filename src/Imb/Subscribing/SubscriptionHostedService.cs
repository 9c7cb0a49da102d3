using Imb.Connection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.Subscribing;

/// <summary>
/// Runs every subscription: provisions their consumers at start (a failure fails host start), then one supervised
/// consume loop each. On stop: pulling stops, in-flight handlers get <c>Imb:Subscribing:ShutdownTimeout</c> to finish.
/// </summary>
internal sealed class SubscriptionHostedService : BackgroundService
{
    private readonly ImbConnection _connection;
    private readonly SubscribingOptions _options;
    private readonly ILogger _logger;
    private readonly HandlerShutdown _shutdown;
    private readonly bool _inMemory;

    public SubscriptionHostedService(
        IOptions<SubscriptionRegistry> registry, IOptionsMonitor<SubscriptionOptions> subscriptions, IOptions<ImbOptions> options, ImbConnection connection,
        ConsumerProvisioner provisioner, DeadLetterWriter deadLetters, IServiceScopeFactory scopes, SubscriptionEvents events, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _connection = connection;
        _options = options.Value.Subscribing;
        _inMemory = options.Value.Mode == ImbMode.InMemory;
        _logger = loggerFactory.CreateLogger("Imb.Subscribing");
        _shutdown = new HandlerShutdown(_logger);
        Runners = registry.Value.Subscriptions.Values
            .Select(r => new SubscriptionRunner(connection, r, subscriptions.Get(r.Name), _options, provisioner, deadLetters, scopes, events, _logger, time))
            .ToList();
    }

    public IReadOnlyList<SubscriptionRunner> Runners { get; }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_inMemory)
        {
            return;
        }

        foreach (var runner in Runners)
        {
            await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        }

        await base.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Runners.Count == 0 || _inMemory)
        {
            return;
        }

        var inFlight = Runners.Sum(r => r.InFlight);
        await _shutdown.StopAsync(inFlight, _options.ShutdownTimeout, () => base.StopAsync(cancellationToken), cancellationToken).ConfigureAwait(false);

        if (_connection.IsConnected)
        {
            // The server handles commands in order: once it answers, every ack sent before has arrived.
            using var flush = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            flush.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await _connection.Connection.PingAsync(flush.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NATS.Client.Core.NatsException || (e is OperationCanceledException && flush.IsCancellationRequested))
            {
                // Unanswered acks are redelivered: at-least-once still holds.
            }
        }

        _logger.SubscriptionsStopped();
    }

    public override void Dispose()
    {
        _shutdown.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Runners.Select(r => r.RunAsync(stoppingToken, _shutdown.AbortHandlers)));
}
