using Imb.Connection;
using Imb.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.Publishing;

/// <summary>
/// Sends one message to JetStream and returns only when the stream stored it or a definite answer says it never
/// will. Timeouts and lost connections are retried with the same message id until the deadline, so a retry can
/// never store a second copy: the stream answers it as a duplicate.
/// </summary>
internal sealed class JetStreamPublisher(ImbConnection connection, StreamProvisioner provisioner, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private const int StreamFull = 10077;
    private static readonly int[] ExpectationCodes = [10060, 10070, 10071];
    private readonly PublishingOptions _options = options.Value.Publishing;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");

    public async Task<PublishAck> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await provisioner.Provisioned.WaitAsync(cancellationToken).ConfigureAwait(false);
        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            using (var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                attemptTimeout.CancelAfter(_options.AckTimeout);
                try
                {
                    var ack = await connection.JetStream.PublishAsync(
                        message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: attemptTimeout.Token).ConfigureAwait(false);
                    return Accept(message, ack);
                }
                catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    // NATS.Net reports "no responders" as a publish without response; ask whether any stream captures the subject.
                    if (e is NatsNoRespondersException or NatsJSPublishNoResponseException && !await IsCapturedAsync(message.Subject, cancellationToken).ConfigureAwait(false))
                    {
                        throw new ImbException(
                            $"No stream on {connection.Servers} captures subject {message.Subject}: declare one (Imb:Streams) whose subjects match it.")
                        { Kind = ImbErrorKind.NoStream };
                    }

                    reason = e is OperationCanceledException ? $"no ack within {_options.AckTimeout}" : e.Message;
                }
            }

            if (time.GetElapsedTime(started) + delay > _options.RetryDeadline)
            {
                throw new ImbException(
                    $"Message {message.MessageId} on subject {message.Subject} was not acknowledged by {connection.Servers} within " +
                    $"{_options.RetryDeadline} (Imb:Publishing:RetryDeadline, {attempt} attempts): {reason}")
                { Kind = ImbErrorKind.Timeout };
            }

            _logger.PublishRetrying(message.Subject, message.MessageId, attempt, reason, delay);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
        }
    }

    private static bool IsTransient(Exception e) => e is OperationCanceledException or NatsJSPublishNoResponseException or NatsNoReplyException
        or NatsNoRespondersException or NatsJSTimeoutException or NatsTimeoutException or NatsJSConnectionException or NatsConnectionFailedException;

    private static PublishAck Accept(OutgoingMessage message, PubAckResponse ack)
    {
        if (ack.Error is not { } error)
        {
            return new PublishAck(ack.Stream!, ack.Seq, ack.Duplicate);
        }

        var kind = error.ErrCode == StreamFull ? ImbErrorKind.StreamFull
            : ExpectationCodes.Contains(error.ErrCode) ? ImbErrorKind.ExpectationFailed
            : ImbErrorKind.Rejected;
        throw new ImbException(
            $"The stream refused message {message.MessageId} on subject {message.Subject}: {error.Description} (code {error.Code}, err_code {error.ErrCode}).")
        {
            Kind = kind,
            ServerErrorCode = error.ErrCode,
        };
    }

    /// <summary>Asks the server whether any stream captures the subject: no responders also happens while a stream elects a leader.</summary>
    private async Task<bool> IsCapturedAsync(string subject, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var _ in connection.JetStream.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            return false;
        }
        catch (Exception e) when (IsTransient(e) || e is NatsJSApiNoResponseException)
        {
            // The server cannot say now (disconnected, electing a leader): treat the failure as transient and retry.
            return true;
        }
    }
}
