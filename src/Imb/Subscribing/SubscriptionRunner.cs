using Imb.Connection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// Runs one subscription: provisions its consumer, runs consume sessions (<see cref="ConsumeSession"/>) one after the
/// other, and recovers with backoff so that a lost connection, a restarted server or a deleted consumer ends in
/// recovery with an error log, never in silence.
/// </summary>
internal sealed class SubscriptionRunner
{
    private static readonly TimeSpan FirstRecoveryDelay = TimeSpan.FromMilliseconds(100);
    private readonly SubscriptionOptions _options;
    private readonly SubscribingOptions _subscribing;
    private readonly ConsumerProvisioner _provisioner;
    private readonly DeadLetterWriter _deadLetters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly NatsDeliveryTransport _transport;
    private readonly ConsumeSession _session;
    private INatsJSConsumer? _consumer;

    public SubscriptionRunner(
        ImbConnection connection, SubscriptionRegistration registration, SubscriptionOptions options, SubscribingOptions subscribing,
        ConsumerProvisioner provisioner, DeadLetterWriter deadLetters, IServiceScopeFactory scopes, SubscriptionEvents events, ILogger logger, TimeProvider time)
    {
        _options = options;
        _subscribing = subscribing;
        _provisioner = provisioner;
        _deadLetters = deadLetters;
        _logger = logger;
        _time = time;
        Status = new SubscriptionStatus(registration.Name, options.Stream, ConsumerProvisioner.ConsumerName(registration.Name, options));
        Status.Pause.OnServer = new ConsumerPause(connection, Status, time).SetAsync;
        var source = new DeliverySource(Status.Stream, Status.Consumer);
        _transport = new NatsDeliveryTransport(source, deadLetters, connection, options.Concurrency, time);
        var processor = new MessageProcessor<INatsJSMsg<ReadOnlyMemory<byte>>>(registration, options, source, _transport, scopes, events, logger);
        _session = new ConsumeSession(connection, options, subscribing, _transport, processor, Status, logger, time);
        Status.InFlight = () => _transport.InFlight.Count;
    }

    public SubscriptionStatus Status { get; }

    public int InFlight => _transport.InFlight.Count;

    private string Name => Status.Name;

    private string Stream => Status.Stream;

    private string Consumer => Status.Consumer;

    /// <summary>Provisions the consumer and checks that dead letters have a stream; a failure here fails host start.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _consumer = await _provisioner.EnsureAsync(Name, _options, cancellationToken).ConfigureAwait(false);
        await _deadLetters.RequireStreamAsync(Name, Stream, Consumer, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Consumes until <paramref name="stopPulling"/>, but not while paused; in-flight handlers then finish unless <paramref name="abortHandlers"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        var filters = SubscriptionFilters.Describe(_options);
        _logger.SubscriptionStarted(Name, Stream, Consumer, filters, _options.Concurrency);
        await Status.Pause.RunAsync(spell => ConsumeAsync(spell, abortHandlers), Status, stopPulling).ConfigureAwait(false);
        Status.Set(SubscriptionState.Stopped);
    }

    private async Task ConsumeAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        var delay = FirstRecoveryDelay;
        var failures = 0;
        while (!stopPulling.IsCancellationRequested)
        {
            try
            {
                _consumer ??= await _provisioner.EnsureAsync(Name, _options, stopPulling).ConfigureAwait(false);
                Status.SetCounts(_consumer.Info.NumPending, (ulong)_consumer.Info.NumAckPending);
                if (failures > 0)
                {
                    _logger.SubscriptionRecovered(Name, Stream, Consumer, failures);
                }

                Status.Set(SubscriptionState.Consuming);
                Status.ReflectServerPause(_consumer.Info.IsPaused);
                failures = 0;
                delay = FirstRecoveryDelay;
                switch (await _session.RunAsync(_consumer, stopPulling, abortHandlers).ConfigureAwait(false))
                {
                    case SessionEnd.ConsumerMissing:
                        // The consumer vanished: re-create it at once.
                        _consumer = null;
                        Status.Set(SubscriptionState.Recovering, $"Consumer {Consumer} of stream {Stream} disappeared from the server.");
                        break;
                    case SessionEnd.Reconnected:
                        _logger.SubscriptionResuming(Name, Stream, Consumer);
                        break;
                }
            }
            catch (OperationCanceledException) when (stopPulling.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                _consumer = null;
                failures++;

                // Imb's own errors here say the consumer cannot exist as declared: only a change outside fixes that.
                var state = e is ImbException ? SubscriptionState.Failed : SubscriptionState.Recovering;
                Status.Set(state, e.Message);
                _logger.SubscriptionFailed(e, Name, Stream, Consumer, state, failures, delay);
                try
                {
                    await Task.Delay(delay, _time, stopPulling).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                delay = Backoff.Next(delay, _subscribing.MaxRecoveryDelay);
            }
        }
    }
}
