using System.Threading.Channels;
using Imb.Connection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>
/// Runs one subscription: provisions its consumer, consumes it, and supervises the consume loop so that a lost
/// connection, a restarted server or a deleted consumer ends in recovery with an error log, never in silence.
/// </summary>
internal sealed partial class SubscriptionRunner
{
    private static readonly TimeSpan FirstRecoveryDelay = TimeSpan.FromMilliseconds(100);
    private readonly ImbConnection _connection;
    private readonly SubscriptionOptions _options;
    private readonly SubscribingOptions _subscribing;
    private readonly ConsumerProvisioner _provisioner;
    private readonly DeadLetterWriter _deadLetters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly NatsDeliveryTransport _transport;
    private readonly MessageProcessor<INatsJSMsg<ReadOnlyMemory<byte>>> _processor;
    private INatsJSConsumer? _consumer;

    public SubscriptionRunner(
        ImbConnection connection, SubscriptionRegistration registration, SubscriptionOptions options, SubscribingOptions subscribing,
        ConsumerProvisioner provisioner, DeadLetterWriter deadLetters, IServiceScopeFactory scopes, SubscriptionEvents events, ILogger logger, TimeProvider time)
    {
        _connection = connection;
        _options = options;
        _subscribing = subscribing;
        _provisioner = provisioner;
        _deadLetters = deadLetters;
        _logger = logger;
        _time = time;
        Status = new SubscriptionStatus(registration.Name, options.Stream, ConsumerProvisioner.ConsumerName(registration.Name, options));
        var source = new DeliverySource(Status.Stream, Status.Consumer);
        _transport = new NatsDeliveryTransport(source, deadLetters, options.Concurrency, time);
        _processor = new MessageProcessor<INatsJSMsg<ReadOnlyMemory<byte>>>(registration, options, source, _transport, scopes, events, logger);
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

    /// <summary>Consumes until <paramref name="stopPulling"/>; in-flight handlers then finish unless <paramref name="abortHandlers"/> fires.</summary>
    public async Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        _logger.SubscriptionStarted(Name, Stream, Consumer, _options.FilterSubject ?? ">", _options.Concurrency);
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
                failures = 0;
                delay = FirstRecoveryDelay;
                switch (await ConsumeAsync(_consumer, stopPulling, abortHandlers).ConfigureAwait(false))
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

        Status.Set(SubscriptionState.Stopped);
    }

    /// <summary>One consume session: until stop, a reconnect (the server forgot our pull requests) or a missing consumer.</summary>
    private async Task<SessionEnd> ConsumeAsync(INatsJSConsumer consumer, CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        using var pulling = CancellationTokenSource.CreateLinkedTokenSource(stopPulling);
        using var monitoring = new CancellationTokenSource();
        var end = SessionEnd.Stopped;
        void EndSession(SessionEnd reason)
        {
            end = reason;
            pulling.Cancel();
        }

        void OnLost()
        {
            _logger.SubscriptionPaused(Name, Stream, Consumer);
            Status.Set(SubscriptionState.Recovering, $"The connection to {_connection.Servers} is lost.");
        }

        void OnRestored() => EndSession(SessionEnd.Reconnected);
        _connection.ConnectionLost += OnLost;
        _connection.ConnectionRestored += OnRestored;
        var monitor = MonitorAsync(consumer, () => EndSession(SessionEnd.ConsumerMissing), pulling.Token, monitoring.Token);
        var opts = new NatsJSConsumeOpts
        {
            MaxMsgs = _options.Prefetch,

            // Buffered messages are yielded after cancel, so that each one is accounted for (and logged) before the session ends.
            DrainOnCancel = true,
            NotificationHandler = (notification, _) =>
            {
                _logger.ConsumeNotification(Name, Stream, Consumer, Describe(notification));
                return Task.CompletedTask;
            },
        };
        try
        {
            var messages = consumer.ConsumeAsync<ReadOnlyMemory<byte>>(opts: opts, cancellationToken: pulling.Token);
            if (_options.Concurrency == 1)
            {
                await foreach (var message in messages.ConfigureAwait(false))
                {
                    _processor.RefreshLogLevel(0);
                    await _processor.ProcessAsync(message, 0, pulling.Token, abortHandlers).ConfigureAwait(false);
                }
            }
            else
            {
                await DispatchAsync(messages, pulling.Token, abortHandlers).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (pulling.IsCancellationRequested)
        {
            // Stopped, reconnected, or the consumer was found missing.
        }
        finally
        {
            _connection.ConnectionLost -= OnLost;
            _connection.ConnectionRestored -= OnRestored;
            await monitoring.CancelAsync().ConfigureAwait(false);
            await monitor.ConfigureAwait(false);
        }

        return stopPulling.IsCancellationRequested ? SessionEnd.Stopped : end;
    }

    /// <summary>Hands messages to <see cref="SubscriptionOptions.Concurrency"/> workers through a queue as long as their number.</summary>
    private async Task DispatchAsync(IAsyncEnumerable<INatsJSMsg<ReadOnlyMemory<byte>>> messages, CancellationToken pulling, CancellationToken abortHandlers)
    {
        var queue = Channel.CreateBounded<INatsJSMsg<ReadOnlyMemory<byte>>>(
            new BoundedChannelOptions(_options.Concurrency) { SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        var workers = new Task[_options.Concurrency];
        for (var slot = 0; slot < workers.Length; slot++)
        {
            workers[slot] = WorkAsync(queue.Reader, slot, pulling, abortHandlers);
        }

        try
        {
            await foreach (var message in messages.ConfigureAwait(false))
            {
                await queue.Writer.WriteAsync(message, abortHandlers).ConfigureAwait(false);
            }
        }
        finally
        {
            queue.Writer.TryComplete();
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
    }

    private async Task WorkAsync(ChannelReader<INatsJSMsg<ReadOnlyMemory<byte>>> queue, int slot, CancellationToken pulling, CancellationToken abortHandlers)
    {
        // Runs the first message on the dispatcher's thread, then continues on the pool.
        await Task.Yield();
        while (await queue.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
        {
            while (queue.TryRead(out var message))
            {
                _processor.RefreshLogLevel(slot);
                await _processor.ProcessAsync(message, slot, pulling, abortHandlers).ConfigureAwait(false);
            }
        }
    }

    private enum SessionEnd
    {
        Stopped,
        ConsumerMissing,
        Reconnected,
    }
}
