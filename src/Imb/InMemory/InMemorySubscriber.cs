using System.Globalization;
using Imb.Subscribing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>
/// Runs one subscription on an in-memory consumer with the outcomes of the NATS subscriber: ack, nak with the retry
/// delay, dead letters to <c>imb.dlq.&lt;stream&gt;.&lt;consumer&gt;</c> with the same headers, and the same log lines.
/// </summary>
internal sealed class InMemorySubscriber(
    SubscriptionRegistration registration, SubscriptionOptions options, InMemoryConsumer consumer, IMessageBus bus, IServiceScopeFactory scopes,
    SubscriptionEvents events, ILogger logger)
{
    private int _inFlight;

    public SubscriptionStatus Status { get; } = new(registration.Name, consumer.Stream, consumer.Name) { Counts = () => consumer.Counts };

    public int InFlight => Volatile.Read(ref _inFlight);

    private string Name => Status.Name;

    public async Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        logger.SubscriptionStarted(Name, consumer.Stream, consumer.Name, options.FilterSubject ?? ">", options.Concurrency);
        Status.Set(SubscriptionState.Consuming);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(_ => WorkAsync(new MessageServices(scopes), stopPulling, abortHandlers))).ConfigureAwait(false);
        Status.Set(SubscriptionState.Stopped);
    }

    private async Task WorkAsync(MessageServices scope, CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        await Task.Yield();
        // With one handler a batch keeps stream order; with several, each takes one message at a time.
        var batch = new Delivery[options.Concurrency == 1 ? 256 : 1];
        while (!stopPulling.IsCancellationRequested)
        {
            int count;
            try
            {
                count = await consumer.NextAsync(batch, stopPulling).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopPulling.IsCancellationRequested)
            {
                break;
            }

            Interlocked.Add(ref _inFlight, count);
            for (var i = 0; i < count; i++)
            {
                ref readonly var next = ref batch[i];
                try
                {
                    if (stopPulling.IsCancellationRequested)
                    {
                        // Taken but not started when stop began: back to the consumer, like NATS's redelivery.
                        consumer.Nak(next.Message.Sequence, TimeSpan.Zero);
                        continue;
                    }

                    await ProcessAsync(next.Message, next.Count, scope, abortHandlers).ConfigureAwait(false);
                }
                finally
                {
                    Interlocked.Decrement(ref _inFlight);
                }
            }
        }
    }

    /// <summary>
    /// Handles one delivery. A handler that completes at once and asked for no services is settled right here; only
    /// one that awaits, fails or used a scope goes through the async path (most of the cost per message otherwise).
    /// </summary>
    private ValueTask ProcessAsync(in StoredMessage stored, int delivery, MessageServices scope, CancellationToken abortHandlers)
    {
        var received = new ReceivedMessage(stored.Subject, stored.Data, stored.Headers, stored.CallerId, stored.GeneratedId)
        {
            Stream = consumer.Stream,
            Consumer = consumer.Name,
            StreamSequence = stored.Sequence,
            DeliveryCount = delivery,
            Timestamp = stored.Timestamp,
        };
        if (MessageOutcome.OnArrival(delivery, options) is { } exhausted)
        {
            return new ValueTask(DeadLetterAsync(received, null, exhausted.Reason!));
        }

        if (!registration.TryHandleAtOnce(received, scope, abortHandlers, out var handling))
        {
            return FinishAsync(received, handling, scope, abortHandlers);
        }

        Handled(received);
        return ValueTask.CompletedTask;
    }

    private async ValueTask FinishAsync(ReceivedMessage received, ValueTask handling, MessageServices scope, CancellationToken abortHandlers)
    {
        try
        {
            await handling.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (abortHandlers.IsCancellationRequested)
        {
            logger.LeftForRedelivery(Name, consumer.Stream, consumer.Name, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
            consumer.Nak(received.StreamSequence, TimeSpan.Zero);
            return;
        }
        catch (Exception e)
        {
            var outcome = MessageOutcome.OnFailure(e, received.DeliveryCount, options, Random.Shared.NextDouble());
            if (outcome.Kind == OutcomeKind.DeadLetter)
            {
                await DeadLetterAsync(received, e, outcome.Reason!).ConfigureAwait(false);
            }
            else
            {
                logger.HandlerFailed(e, Name, consumer.Stream, consumer.Name, received.Subject, received.StreamSequence, received.DeliveryCount, options.MaxDeliver, received.MessageId, outcome.Delay);
                consumer.Nak(received.StreamSequence, outcome.Delay);
            }

            return;
        }
        finally
        {
            await scope.EndAsync().ConfigureAwait(false);
        }

        Handled(received);
    }

    private void Handled(ReceivedMessage received)
    {
        consumer.Ack(received.StreamSequence);
        if (logger.IsEnabled(LogLevel.Debug))
        {
            // Guarded here: reading MessageId formats a generated id, which a disabled log line should not cost.
            logger.MessageHandled(Name, consumer.Stream, consumer.Name, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
        }

        events.OnHandled(Name, received);
    }

    private async Task DeadLetterAsync(ReceivedMessage received, Exception? failure, string reason)
    {
        var subject = DeadLetterWriter.SubjectFor(consumer.Stream, consumer.Name);
        var letter = new PublishOptions { MessageId = string.Create(CultureInfo.InvariantCulture, $"dlq:{consumer.Stream}:{consumer.Name}:{received.StreamSequence}") };
        foreach (var (name, value) in received.NatsHeaders ?? new NatsHeaders())
        {
            if (!name.StartsWith("Nats-", StringComparison.OrdinalIgnoreCase))
            {
                letter.Headers[name] = value.ToString();
            }
        }

        letter.Headers["Imb-Dlq-Stream"] = consumer.Stream;
        letter.Headers["Imb-Dlq-Sequence"] = received.StreamSequence.ToString(CultureInfo.InvariantCulture);
        letter.Headers["Imb-Dlq-Subject"] = received.Subject;
        letter.Headers["Imb-Dlq-Consumer"] = consumer.Name;
        letter.Headers["Imb-Dlq-Deliveries"] = received.DeliveryCount.ToString(CultureInfo.InvariantCulture);
        letter.Headers["Imb-Dlq-Reason"] = DeadLetterWriter.OneLine(reason);
        try
        {
            await bus.PublishAsync(subject, received.Data, letter).ConfigureAwait(false);
        }
        catch (ImbException e)
        {
            var delay = RetryPolicy.Delay(options, received.DeliveryCount, Random.Shared.NextDouble());
            logger.DeadLetterFailed(e, Name, consumer.Stream, consumer.Name, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, subject, delay);
            consumer.Nak(received.StreamSequence, delay);
            return;
        }

        consumer.Ack(received.StreamSequence);
        logger.MessageDeadLettered(failure, Name, consumer.Stream, consumer.Name, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, subject, DeadLetterWriter.OneLine(reason));
    }
}
