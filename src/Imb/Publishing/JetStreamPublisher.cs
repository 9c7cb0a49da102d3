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
    private readonly PublishingOptions _options = options.Value.Publishing;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");

    /// <summary>Sends the first attempt without waiting for its ack (the pipelined path); <see langword="null"/> when it could not even be sent.</summary>
    public async ValueTask<NatsJSPublishConcurrentFuture?> BeginAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await WhenProvisionedAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await connection.JetStream.PublishConcurrentAsync(
                message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Takes the ack of a pipelined first attempt; anything but a definite answer continues as <see cref="SendAsync"/> with the same id.</summary>
    public async Task<PublishAck> CompleteAsync(OutgoingMessage message, NatsJSPublishConcurrentFuture? future, CancellationToken cancellationToken)
    {
        if (future is { } pending)
        {
            await using (pending.ConfigureAwait(false))
            {
                try
                {
                    return Accept(message, await pending.GetResponseAsync(cancellationToken).ConfigureAwait(false));
                }
                catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    // Retried below with the same message id: a copy the stream already has is answered as a duplicate.
                }
            }
        }

        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public async Task<PublishAck> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await WhenProvisionedAsync(cancellationToken).ConfigureAwait(false);

        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            try
            {
                // The JetStream context's request timeout is Imb:Publishing:AckTimeout.
                var ack = await connection.JetStream.PublishAsync(
                    message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: cancellationToken).ConfigureAwait(false);
                return Accept(message, ack);
            }
            catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                // NATS.Net reports "no responders" as a publish without response; ask whether any stream captures the subject.
                if (e is NatsNoRespondersException or NatsJSPublishNoResponseException && !await IsCapturedAsync(message.Subject, cancellationToken).ConfigureAwait(false))
                {
                    throw new ImbException(
                        $"No stream on {connection.Servers} captures subject {message.Subject}: declare one (Imb:Streams) whose subjects match it.")
                    { Kind = ImbErrorKind.NoStream };
                }

                reason = e.Message;
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
            delay = Backoff.Next(delay, TimeSpan.FromSeconds(1));
        }
    }

    private ValueTask WhenProvisionedAsync(CancellationToken cancellationToken) =>
        provisioner.Provisioned.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(provisioner.Provisioned.WaitAsync(cancellationToken));

    private static PublishAck Accept(OutgoingMessage message, PubAckResponse ack)
    {
        if (ack.Error is not { } error)
        {
            return new PublishAck(ack.Stream!, ack.Seq, ack.Duplicate);
        }

        var kind = error.ErrCode == JetStreamErrorCodes.StreamFull ? ImbErrorKind.StreamFull
            : JetStreamErrorCodes.IsExpectationFailed(error.ErrCode) ? ImbErrorKind.ExpectationFailed
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
        catch (Exception e) when (NatsFailures.IsTransient(e))
        {
            // The server cannot say now (disconnected, electing a leader): treat the failure as transient and retry.
            return true;
        }
    }
}
