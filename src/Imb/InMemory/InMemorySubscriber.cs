using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imb.InMemory;

/// <summary>
/// Runs one subscription on an in-memory consumer: workers take batches from the consumer and hand each message to
/// the <see cref="MessageProcessor{TDelivery}"/> the NATS subscriber uses too, so outcomes, dead letters and log lines
/// are the same in both modes.
/// </summary>
internal sealed class InMemorySubscriber
{
    private readonly SubscriptionOptions _options;
    private readonly InMemoryConsumer _consumer;
    private readonly InMemoryDeliveryTransport _transport;
    private readonly MessageProcessor<Delivery> _processor;
    private readonly ILogger _logger;

    // Per worker, how many messages of its batch are not through yet: written by that worker alone, plain stores.
    private readonly int[] _left;

    public InMemorySubscriber(
        SubscriptionRegistration registration, SubscriptionOptions options, InMemoryConsumer consumer, InMemoryMessageBus bus, IServiceScopeFactory scopes,
        SubscriptionEvents events, ILogger logger)
    {
        _options = options;
        _consumer = consumer;
        _logger = logger;
        _left = new int[options.Concurrency];
        _transport = new InMemoryDeliveryTransport(consumer, bus, options.Concurrency, BatchSize);
        _processor = new MessageProcessor<Delivery>(registration, options, _transport.Source, _transport, scopes, events, logger);
        Status = new(registration.Name, consumer.Stream, consumer.Name) { Counts = () => consumer.Counts };
        Status.InFlight = () => InFlight;
    }

    public SubscriptionStatus Status { get; }

    /// <summary>Gets how many messages the workers have taken and not finished, those they have not started included.</summary>
    public int InFlight
    {
        get
        {
            var sum = 0;
            for (var i = 0; i < _left.Length; i++)
            {
                sum += Volatile.Read(ref _left[i]);
            }

            return sum;
        }
    }

    // With one handler a batch keeps stream order; with several, each takes one message at a time.
    private int BatchSize => _options.Concurrency == 1 ? 256 : 1;

    public async Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        var filters = SubscriptionFilters.Describe(_options);
        _logger.SubscriptionStarted(Status.Name, _consumer.Stream, _consumer.Name, filters, _options.Concurrency);
        await Status.Pause.RunAsync(
            spell =>
            {
                Status.Set(SubscriptionState.Consuming);
                return Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(worker => WorkAsync(worker, spell, abortHandlers)));
            },
            Status,
            stopPulling).ConfigureAwait(false);
        Status.Set(SubscriptionState.Stopped);
    }

    private async Task WorkAsync(int worker, CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        await Task.Yield();
        var batch = new Delivery[BatchSize];
        while (!stopPulling.IsCancellationRequested)
        {
            int count;
            try
            {
                count = await _consumer.NextAsync(batch, stopPulling).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopPulling.IsCancellationRequested)
            {
                break;
            }

            _processor.RefreshLogLevel(worker);
            Volatile.Write(ref _left[worker], count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    var processing = _processor.ProcessAsync(batch[i], worker, stopPulling, abortHandlers);
                    if (!processing.IsCompletedSuccessfully)
                    {
                        // Acks go out before any wait, as NATS's go out without waiting for the server.
                        _transport.SendAcks(worker);
                        await processing.ConfigureAwait(false);
                        _transport.SendAcks(worker);
                    }

                    Volatile.Write(ref _left[worker], count - i - 1);
                }
            }
            finally
            {
                _transport.SendAcks(worker);
                Volatile.Write(ref _left[worker], 0);
            }
        }
    }
}
