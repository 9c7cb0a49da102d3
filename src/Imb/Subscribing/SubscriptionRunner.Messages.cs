using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>What happens to one message: handled and acked, retried with a delay, or dead-lettered and terminated.</summary>
internal sealed partial class SubscriptionRunner
{
    /// <summary>
    /// Handles one message. A handler that completes at once and asked for no services, with an ack written at once,
    /// is settled here without an async state machine; anything else (awaiting, failing, a scope) takes the full path.
    /// </summary>
    private ValueTask ProcessAsync(INatsJSMsg<ReadOnlyMemory<byte>> message, int slot, CancellationToken pulling, CancellationToken abortHandlers)
    {
        if (pulling.IsCancellationRequested)
        {
            // Fetched but not started when the session ended: left unacked, the server redelivers it after the ack wait.
            // Not a nak: nats-server 2.9 hands a nakked message straight back to our pull request that is closing.
            return ValueTask.CompletedTask;
        }

        var received = Describe(message);
        if (MessageOutcome.OnArrival(received.DeliveryCount, _options) is { } exhausted)
        {
            return new ValueTask(DeadLetterAsync(message, received, null, exhausted.Reason!, abortHandlers));
        }

        _inFlight.Begin(slot, message);
        var services = _services[slot];
        if (!_registration.TryHandleAtOnce(received, services, abortHandlers, out var handling))
        {
            return new ValueTask(FinishAsync(message, received, slot, handling, abortHandlers));
        }

        _inFlight.End(slot);
        var ack = message.AckAsync(cancellationToken: abortHandlers);
        if (!ack.IsCompletedSuccessfully)
        {
            return new ValueTask(AckAsync(received, ack));
        }

        ack.GetAwaiter().GetResult(); // completed: this only releases a pooled ValueTask source
        Handled(received);
        return ValueTask.CompletedTask;
    }

    private async Task FinishAsync(INatsJSMsg<ReadOnlyMemory<byte>> message, ReceivedMessage received, int slot, ValueTask handling, CancellationToken abortHandlers)
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
            return;
        }
        catch (Exception e)
        {
            failure = e;
        }
        finally
        {
            _inFlight.End(slot);
        }

        if (failure is null)
        {
            await AckAsync(received, message.AckAsync(cancellationToken: abortHandlers)).ConfigureAwait(false);
            return;
        }

        var outcome = MessageOutcome.OnFailure(failure, received.DeliveryCount, _options, Random.Shared.NextDouble());
        if (outcome.Kind == OutcomeKind.DeadLetter)
        {
            await DeadLetterAsync(message, received, failure, outcome.Reason!, abortHandlers).ConfigureAwait(false);
        }
        else
        {
            _logger.HandlerFailed(failure, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, _options.MaxDeliver, received.MessageId, outcome.Delay);
            await SettleAsync(received, "nak", message.NakAsync(new AckOpts { NakDelay = outcome.Delay }, abortHandlers)).ConfigureAwait(false);
        }
    }

    private async Task AckAsync(ReceivedMessage received, ValueTask ack)
    {
        await SettleAsync(received, "ack", ack).ConfigureAwait(false);
        Handled(received);
    }

    private void Handled(ReceivedMessage received)
    {
        _logger.MessageHandled(Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
        _events.OnHandled(Name, received);
    }

    private async Task DeadLetterAsync(INatsJSMsg<ReadOnlyMemory<byte>> message, ReceivedMessage received, Exception? failure, string reason, CancellationToken abortHandlers)
    {
        var subject = DeadLetterWriter.SubjectFor(Stream, Consumer);
        try
        {
            await _deadLetters.WriteAsync(received, reason, abortHandlers).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !abortHandlers.IsCancellationRequested)
        {
            // Without its dead letter the message must stay: it comes back after the delay and is tried again.
            var delay = RetryPolicy.Delay(_options, received.DeliveryCount, Random.Shared.NextDouble());
            _logger.DeadLetterFailed(e, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, subject, delay);
            await SettleAsync(received, "nak", message.NakAsync(new AckOpts { NakDelay = delay }, abortHandlers)).ConfigureAwait(false);
            return;
        }

        // A plain +TERM: nats-server 2.9 redelivers a message terminated with a reason.
        await SettleAsync(received, "terminate", message.AckTerminateAsync(cancellationToken: abortHandlers)).ConfigureAwait(false);
        _logger.MessageDeadLettered(failure, Name, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId, subject, DeadLetterWriter.OneLine(reason));
    }

    private async Task SettleAsync(ReceivedMessage received, string action, ValueTask settle)
    {
        try
        {
            await settle.ConfigureAwait(false);
        }
        catch (Exception e)
        {
            // Not fatal: an unsettled message is redelivered by the server, and the log says which.
            _logger.AcknowledgeFailed(e, Name, action, Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
        }
    }

    private ReceivedMessage Describe(INatsJSMsg<ReadOnlyMemory<byte>> message)
    {
        if (AckSubject.TryParse(message.ReplyTo, out var delivered, out var sequence, out var timestamp))
        {
            return new ReceivedMessage(message.Subject, message.Data, message.Headers)
            {
                Source = _source,
                StreamSequence = sequence,
                DeliveryCount = delivered,
                Timestamp = timestamp,
            };
        }

        var metadata = message.Metadata;
        return new ReceivedMessage(message.Subject, message.Data, message.Headers)
        {
            Source = metadata is { Stream: { } stream, Consumer: { } consumer } && (stream != Stream || consumer != Consumer) ? new DeliverySource(stream, consumer) : _source,
            StreamSequence = metadata?.Sequence.Stream ?? 0,
            DeliveryCount = metadata is { } m ? (int)Math.Min(m.NumDelivered, int.MaxValue) : 1,
            Timestamp = metadata?.Timestamp,
        };
    }
}
