using System.Diagnostics;
using Imb.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Imb.Subscribing;

/// <summary>
/// What happens to one message, the same on NATS and in memory: handled and acked, retried with a delay, or
/// dead-lettered and terminated; a dead letter that cannot be written leaves the message to be retried.
/// </summary>
/// <typeparam name="TDelivery">The transport's handle on one delivery.</typeparam>
internal sealed class MessageProcessor<TDelivery>
{
    private readonly SubscriptionRegistration _registration;
    private readonly SubscriptionOptions _options;
    private readonly IDeliveryTransport<TDelivery> _transport;
    private readonly MessageServices[] _services;
    private readonly bool[] _logHandled;
    private readonly SubscriptionEvents _events;
    private readonly SubscriptionCounters _counters;
    private readonly ILogger _logger;

    public MessageProcessor(
        SubscriptionRegistration registration, SubscriptionOptions options, DeliverySource source, IDeliveryTransport<TDelivery> transport,
        IServiceScopeFactory scopes, SubscriptionEvents events, ILogger logger)
    {
        _registration = registration;
        _options = options;
        Source = source;
        _transport = transport;
        _services = [.. Enumerable.Range(0, options.Concurrency).Select(_ => new MessageServices(scopes))];
        _logHandled = new bool[options.Concurrency];
        _events = events;
        _counters = events.CountersOf(registration.Name);
        _logger = logger;
    }

    public DeliverySource Source { get; }

    private string Name => _registration.Name;

    private string Stream => Source.Stream;

    private string Consumer => Source.Consumer;

    /// <summary>Reads whether handled messages are logged, for one slot; once a batch, as it costs a third of a log call.</summary>
    public void RefreshLogLevel(int slot) => _logHandled[slot] = _logger.IsEnabled(LogLevel.Debug);

    /// <summary>
    /// Handles one delivery on <paramref name="slot"/>. A handler that completes at once and asked for no services,
    /// with an ack that completes at once, is settled here without an async state machine (most of the cost per
    /// message otherwise); anything else (awaiting, failing, a scope) takes the full path.
    /// </summary>
    public ValueTask ProcessAsync(TDelivery delivery, int slot, CancellationToken pulling, CancellationToken abortHandlers)
    {
        if (pulling.IsCancellationRequested)
        {
            // Fetched but not started when stop began.
            _transport.Release(delivery);
            return ValueTask.CompletedTask;
        }

        var received = _transport.Describe(delivery);
        var arrived = _events.ArrivalTimestamp();
        _events.OnArrived(Name, received.DeliveryCount);
        if (!MessagingTracing.Source.HasListeners())
        {
            return Process(delivery, received, slot, null, arrived, abortHandlers);
        }

        // The handler runs inside its span, so what it publishes continues the trace; this frame is not async, so
        // the consume loop's own current activity is put back once the handler is under way.
        var previous = Activity.Current;
        var span = MessagingTracing.StartProcess(received, Name);
        try
        {
            return Process(delivery, received, slot, span, arrived, abortHandlers);
        }
        finally
        {
            Activity.Current = previous;
        }
    }

    private ValueTask Process(TDelivery delivery, ReceivedMessage received, int slot, Activity? span, long arrived, CancellationToken abortHandlers)
    {
        if (MessageOutcome.OnArrival(received.DeliveryCount, _options) is { } exhausted)
        {
            return new ValueTask(SettledAsync(DeadLetterAsync(delivery, received, null, exhausted.Reason!, abortHandlers), span, "dead-lettered", arrived));
        }

        _transport.Begin(slot, delivery);
        if (!_registration.TryHandleAtOnce(received, _services[slot], abortHandlers, out var handling))
        {
            return new ValueTask(FinishAsync(delivery, received, slot, handling, span, arrived, abortHandlers));
        }

        _transport.End(slot);
        var ack = _transport.AckAsync(delivery, slot, abortHandlers);
        if (!ack.IsCompletedSuccessfully)
        {
            return new ValueTask(SettledAsync(AckAsync(received, slot, ack), span, "acked", arrived));
        }

        ack.GetAwaiter().GetResult(); // completed: this only releases a pooled ValueTask source
        Handled(received, slot);
        Settled(span, "acked", null, arrived);
        return ValueTask.CompletedTask;
    }

    private async Task SettledAsync(Task settling, Activity? span, string outcome, long arrived)
    {
        try
        {
            await settling.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Only a stop that aborts handlers gets here: the message stays unsettled and comes back.
            Settled(span, "left for redelivery", e, arrived);
            throw;
        }

        Settled(span, outcome, null, arrived);
    }

    private async Task FinishAsync(TDelivery delivery, ReceivedMessage received, int slot, ValueTask handling, Activity? span, long arrived, CancellationToken abortHandlers)
    {
        (string Outcome, Exception? Failure) settled;
        try
        {
            settled = await FinishAsync(delivery, received, slot, handling, abortHandlers).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Settled(span, "left for redelivery", e, arrived);
            throw;
        }

        Settled(span, settled.Outcome, settled.Failure, arrived);
    }

    /// <summary>One place for what a settled delivery tells: its span ends with the outcome, and it is counted.</summary>
    private void Settled(Activity? span, string outcome, Exception? failure, long arrived)
    {
        if (span is not null)
        {
            MessagingTracing.Outcome(span, outcome);
            if (failure is not null)
            {
                MessagingTracing.Failed(span, failure);
            }

            span.Dispose();
        }

        _counters.Settled(outcome, failure);
        _events.OnSettled(Name, outcome, arrived);
    }

    /// <summary>Waits for the handler and settles its message; returns the outcome and the handler's failure, for the span.</summary>
    private async Task<(string Outcome, Exception? Failure)> FinishAsync(TDelivery delivery, ReceivedMessage received, int slot, ValueTask handling, CancellationToken abortHandlers)
    {
        Exception? failure = null;
        try
        {
            try
            {
                await handling.ConfigureAwait(false);
            }
            finally
            {
                await _services[slot].EndAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (abortHandlers.IsCancellationRequested)
        {
            _logger.LeftForRedelivery(Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
            _transport.Release(delivery);
            return ("left for redelivery", null);
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            _transport.End(slot);
        }

        if (failure is null)
        {
            await AckAsync(received, slot, _transport.AckAsync(delivery, slot, abortHandlers)).ConfigureAwait(false);
            return ("acked", null);
        }

        var outcome = MessageOutcome.OnFailure(failure, received.DeliveryCount, _options, Random.Shared.NextDouble());
        if (outcome.Kind == OutcomeKind.DeadLetter)
        {
            await DeadLetterAsync(delivery, received, failure, outcome.Reason!, abortHandlers).ConfigureAwait(false);
            return ("dead-lettered", failure);
        }
        else
        {
            _logger.HandlerFailed(failure, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, _options.MaxDeliver, received.MessageId, outcome.Delay);
            await SettleAsync(received, "nak", _transport.NakAsync(delivery, outcome.Delay, abortHandlers)).ConfigureAwait(false);
            return ("retried", failure);
        }
    }

    private async Task AckAsync(ReceivedMessage received, int slot, ValueTask ack)
    {
        await SettleAsync(received, "ack", ack).ConfigureAwait(false);
        Handled(received, slot);
    }

    private void Handled(ReceivedMessage received, int slot)
    {
        if (_logHandled[slot])
        {
            // Guarded here: reading MessageId may format a generated id, which a disabled log line should not cost.
            _logger.MessageHandled(Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
        }

        _events.OnHandled(Name, received);
    }

    private async Task DeadLetterAsync(TDelivery delivery, ReceivedMessage received, Exception? failure, string reason, CancellationToken abortHandlers)
    {
        var letter = DeadLetter.For(received, Source, reason);
        using var span = MessagingTracing.StartDeadLetter(letter, received);
        try
        {
            await _transport.WriteDeadLetterAsync(letter, abortHandlers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !abortHandlers.IsCancellationRequested)
        {
            MessagingTracing.Failed(span, e);

            // Without its dead letter the message must stay: it comes back after the delay and is tried again.
            var delay = RetryPolicy.Delay(_options, received.DeliveryCount, Random.Shared.NextDouble());
            _logger.DeadLetterFailed(e, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, letter.Subject, delay);
            await SettleAsync(received, "nak", _transport.NakAsync(delivery, delay, abortHandlers)).ConfigureAwait(false);
            return;
        }

        await SettleAsync(received, "terminate", _transport.TerminateAsync(delivery, letter.Reason, abortHandlers)).ConfigureAwait(false);
        _logger.MessageDeadLettered(failure, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, letter.Subject, letter.Reason);
    }

    private async Task SettleAsync(ReceivedMessage received, string action, ValueTask settle)
    {
        try
        {
            await settle.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not fatal: an unsettled message is delivered again, and the log says which.
            _logger.AcknowledgeFailed(e, Name, action, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
        }
    }
}
