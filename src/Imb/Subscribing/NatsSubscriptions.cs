using Imb.Connection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.Subscribing;

/// <summary>Every subscription as a durable JetStream consumer, each run by its own supervised <see cref="SubscriptionRunner"/>.</summary>
internal sealed class NatsSubscriptions : ISubscriptionEngine
{
    private readonly ImbConnection _connection;
    private readonly IReadOnlyList<SubscriptionRunner> _runners;

    public NatsSubscriptions(
        IOptions<SubscriptionRegistry> registry, IOptionsMonitor<SubscriptionOptions> subscriptions, IOptions<ImbOptions> options, ImbConnection connection,
        ConsumerProvisioner provisioner, DeadLetterWriter deadLetters, IServiceScopeFactory scopes, SubscriptionEvents events, ILoggerFactory loggerFactory, TimeProvider time)
    {
        _connection = connection;
        var logger = loggerFactory.CreateLogger("Imb.Subscribing");
        _runners = [.. registry.Value.Subscriptions.Values
            .Select(r => new SubscriptionRunner(connection, r, subscriptions.Get(r.Name), options.Value.Subscribing, provisioner, deadLetters, scopes, events, logger, time))];
    }

    public IReadOnlyList<SubscriptionStatus> Statuses => [.. _runners.Select(r => r.Status)];

    public int InFlight => _runners.Sum(r => r.InFlight);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var runner in _runners)
        {
            await runner.StartAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers) =>
        Task.WhenAll(_runners.Select(r => r.RunAsync(stopPulling, abortHandlers)));

    public async Task AfterStopAsync(CancellationToken cancellationToken)
    {
        if (!_connection.IsConnected)
        {
            return;
        }

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
}
