using Imb.Connection;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Imb.Subscribing;

/// <summary>The watch over a consume session: progress acks for long handlers, and whether the consumer still exists.</summary>
internal sealed partial class ConsumeSession
{
    /// <summary>Keeps long handlers alive with progress acks, and checks now and then that the consumer still exists.</summary>
    private async Task MonitorAsync(INatsJSConsumer consumer, Action onConsumerMissing, CancellationToken pulling, CancellationToken monitoring)
    {
        var progressEvery = options.AckWait / 4;
        var period = progressEvery < subscribing.ConsumerCheckInterval ? progressEvery : subscribing.ConsumerCheckInterval;
        using var timer = new PeriodicTimer(period, time);
        var lastCheck = time.GetTimestamp();
        try
        {
            while (await timer.WaitForNextTickAsync(monitoring).ConfigureAwait(false))
            {
                // Checked every quarter ack wait and sent when a quarter has passed: no gap longer than half the ack wait.
                foreach (var (message, error) in await transport.InFlight.SignalProgressAsync(progressEvery, monitoring).ConfigureAwait(false))
                {
                    var received = transport.Describe(message);
                    logger.AcknowledgeFailed(error, Name, "send progress for", Stream, Consumer, received.Subject, received.StreamSequence, received.DeliveryCount, received.MessageId);
                }

                if (!pulling.IsCancellationRequested && time.GetElapsedTime(lastCheck) >= subscribing.ConsumerCheckInterval)
                {
                    lastCheck = time.GetTimestamp();
                    if (!await CheckConsumerAsync(consumer, monitoring).ConfigureAwait(false))
                    {
                        onConsumerMissing();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (monitoring.IsCancellationRequested)
        {
            // The consume session is over.
        }
    }

    private async Task<bool> CheckConsumerAsync(INatsJSConsumer consumer, CancellationToken cancellationToken)
    {
        try
        {
            await consumer.RefreshAsync(cancellationToken).ConfigureAwait(false);
            status.SetCounts(consumer.Info.NumPending, (ulong)consumer.Info.NumAckPending);
            status.ReflectServerPause(consumer.Info.IsPaused);
            return true;
        }
        // A deleted stream takes its consumers with it: the server then answers for the stream, not the consumer.
        catch (NatsJSApiException e) when (e.Error.ErrCode is JetStreamErrorCodes.ConsumerNotFound or JetStreamErrorCodes.StreamNotFound)
        {
            logger.ConsumerMissing(Name, Stream, Consumer);
            return false;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Disconnected or slow: the consume loop sees the same and recovers; this only says why.
            logger.ConsumerCheckFailed(e, Name, Stream, Consumer);
            return true;
        }
    }

    private static string Describe(INatsJSNotification notification) => notification switch
    {
        NatsJSTimeoutNotification => "heartbeats from the server are missing; pulling again",
        NatsJSNoRespondersNotification => "the server did not answer a pull (no responders): restarting, or the stream is electing a leader",
        NatsJSLeadershipChangeNotification => "the stream's consumer leader changed",
        NatsJSProtocolNotification protocol => $"the server answered a pull with {protocol.HeaderCode} {protocol.HeaderMessageText}",
        _ => notification.Name,
    };
}
