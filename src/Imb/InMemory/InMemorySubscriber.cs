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
    // Per worker, how many messages of its batch are not through yet: written by that worker alone, plain stores.
    private readonly int[] _left = new int[options.Concurrency];

    private readonly DeliverySource _source = new(consumer.Stream, consumer.Name);

    // Read once a batch, not once a message (a third of a log call's cost when the line is off).
    private bool _logHandled;

    public SubscriptionStatus Status { get; } = new(registration.Name, consumer.Stream, consumer.Name) { Counts = () => consumer.Counts };

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

    private string Name => Status.Name;

    public async Task RunAsync(CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        logger.SubscriptionStarted(Name, consumer.Stream, consumer.Name, options.FilterSubject ?? ">", options.Concurrency);
        Status.Set(SubscriptionState.Consuming);
        await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(worker => WorkAsync(worker, new MessageServices(scopes), stopPulling, abortHandlers))).ConfigureAwait(false);
        Status.Set(SubscriptionState.Stopped);
    }

    private async Task WorkAsync(int worker, MessageServices scope, CancellationToken stopPulling, CancellationToken abortHandlers)
    {
        await Task.Yield();
        // With one handler a batch keeps stream order; with several, each takes one message at a time.
        var batch = new Delivery[options.Concurrency == 1 ? 256 : 1];
        var acks = new PendingAcks(consumer, batch.Length);
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

            _logHandled = logger.IsEnabled(LogLevel.Debug);
            Volatile.Write(ref _left[worker], count);
            try
            {
                for (var i = 0; i < count; i++)
                {
                    ref readonly var next = ref batch[i];
                    if (stopPulling.IsCancellationRequested)
                    {
                        // Taken but not started when stop began: back to the consumer, like NATS's redelivery.
                        consumer.Nak(next.Message.Sequence, TimeSpan.Zero);
                    }
                    else if (!TryProcessAtOnce(next.Message, next.Count, scope, acks, abortHandlers, out var processing))
                    {
                        acks.Send();
                        await processing.ConfigureAwait(false);
                    }

                    Volatile.Write(ref _left[worker], count - i - 1);
                }
            }
            finally
            {
                acks.Send();
                Volatile.Write(ref _left[worker], 0);
            }
        }
    }

    /// <summary>
    /// Handles one delivery. A handler that completes at once and asked for no services is settled right here (its ack
    /// held in <paramref name="acks"/>); only one that awaits, fails or used a scope goes through the async path (most
    /// of the cost per message otherwise), which is then <paramref name="pending"/>.
    /// </summary>
    private bool TryProcessAtOnce(in StoredMessage stored, int delivery, MessageServices scope, PendingAcks acks, CancellationToken abortHandlers, out ValueTask pending)
    {
        var received = new ReceivedMessage(stored.Subject, stored.Data, stored.Headers, stored.CallerId, stored.GeneratedId)
        {
            Source = _source,
            StreamSequence = stored.Sequence,
            DeliveryCount = delivery,
            Timestamp = stored.Timestamp,
        };
        if (MessageOutcome.OnArrival(delivery, options) is { } exhausted)
        {
            pending = new ValueTask(DeadLetterAsync(received, null, exhausted.Reason!));
            return false;
        }

        if (!registration.TryHandleAtOnce(received, scope, abortHandlers, out var handling))
        {
            pending = FinishAsync(received, handling, scope, abortHandlers);
            return false;
        }

        acks.Add(received.StreamSequence);
        Handled(received);
        pending = ValueTask.CompletedTask;
        return true;
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

        consumer.Ack(received.StreamSequence);
        Handled(received);
    }

    private void Handled(ReceivedMessage received)
    {
        if (_logHandled)
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
