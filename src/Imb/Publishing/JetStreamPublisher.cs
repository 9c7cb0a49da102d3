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
internal sealed class JetStreamPublisher(ImbConnection connection, StreamProvisioner provisioner, FastIngestPublisher fastIngest, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, TimeProvider time)
{
    private readonly PublishingOptions _options = options.Value.Publishing;
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");

    /// <summary>Sends the first attempt without waiting for its ack (the pipelined path); its future is <see langword="null"/> when it could not even be sent.</summary>
    public async ValueTask<SentPublish> BeginAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await WhenProvisionedAsync(cancellationToken).ConfigureAwait(false);
        var restore = connection.NextRestore;
        var sentAt = time.GetTimestamp();
        try
        {
            if (fastIngest.StreamFor(message) is { } stream)
            {
                var (batch, sequence) = await fastIngest.SendAsync(stream, message, cancellationToken).ConfigureAwait(false);
                return new SentPublish(null, sentAt, restore, batch, sequence);
            }

            var future = await connection.Publishing.PublishConcurrentAsync(
                message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new SentPublish(future, sentAt, restore);
        }
        catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            return new SentPublish(null, sentAt, restore);
        }
    }

    /// <summary>Takes the ack of a pipelined first attempt; anything but a definite answer continues as <see cref="SendAsync"/> with the same id.</summary>
    /// <param name="message">The message.</param>
    /// <param name="sent">Its first attempt.</param>
    /// <param name="flushWaiting">Tells whether a flush waits behind this message (its batch then ends at once); <see langword="null"/> when nothing follows.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task CompleteAsync(OutgoingMessage message, SentPublish sent, Func<bool>? flushWaiting, CancellationToken cancellationToken)
    {
        if (sent.Batch is { } batch)
        {
            var (outcome, refusal) = await fastIngest.SettleAsync(batch, sent.Sequence, sent.At, flushWaiting, cancellationToken).ConfigureAwait(false);
            if (outcome == FastOutcome.Stored)
            {
                return;
            }

            // "Still storing this id" and "temporarily unavailable" are no refusals: asked again one by one, like an unanswered message.
            if (outcome == FastOutcome.Rejected && refusal.ErrCode is not (JetStreamErrorCodes.DuplicateInProcess or JetStreamErrorCodes.Unavailable))
            {
                throw Refused(message, refusal.ErrorCode, refusal.ErrCode, refusal.Description);
            }
        }
        else if (sent.Future is { } pending)
        {
            var reply = pending.GetResponseAsync(cancellationToken);
            if (!reply.IsCompletedSuccessfully)
            {
                PubAckResponse? response = null;
                var first = reply.AsTask();
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                try
                {
                    response = await AwaitOrResendAsync(message, first, sent, attempt).ConfigureAwait(false);
                }
                catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
                {
                    // Retried below with the same message id: a copy the stream already has is answered as a duplicate.
                }
                finally
                {
                    // Disposing the future ends a first attempt that is still waiting (a resend answered first).
                    await DisposeAsync(pending).ConfigureAwait(false);
                    await ((Task)first).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                }

                if (response is not null && !AskAgain(response))
                {
                    Accept(message, response);
                    return;
                }
            }
            else
            {
                var ack = reply.Result;
                await DisposeAsync(pending).ConfigureAwait(false);
                if (!AskAgain(ack))
                {
                    Accept(message, ack);
                    return;
                }
            }
        }

        await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the fast-ingest batches still open (host stop): every message in them is settled already.</summary>
    public Task EndOpenBatchesAsync(CancellationToken cancellationToken) => fastIngest.EndOpenAsync(cancellationToken);

    public async Task<PublishAck> SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        await WhenProvisionedAsync(cancellationToken).ConfigureAwait(false);

        var started = time.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(50);
        for (var attempt = 1; ; attempt++)
        {
            string reason;
            var sent = new SentPublish(null, time.GetTimestamp(), connection.NextRestore);
            using var abandon = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

            // The publishing context's request timeout is Imb:Publishing:AckTimeout.
            var first = connection.Publishing.PublishAsync(
                message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: abandon.Token).AsTask();
            try
            {
                var response = await AwaitOrResendAsync(message, first, sent, abandon).ConfigureAwait(false);
                if (!AskAgain(response))
                {
                    return Accept(message, response);
                }

                reason = response.Error!.ErrCode == JetStreamErrorCodes.Unavailable ? $"the stream is unavailable for now ({response.Error.Description})" : "the stream is still storing a message with this id";
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
            finally
            {
                await abandon.CancelAsync().ConfigureAwait(false);
                await ((Task)first).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
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

    /// <summary>
    /// Waits for the answer to <paramref name="first"/>; when none has come <see cref="PublishingOptions.ResendAfter"/>
    /// after it was sent, or the connection was restored since, sends the message again under the same id. The stream
    /// answers a copy it already has as a duplicate, so whichever answer comes first settles the message. Cancels
    /// <paramref name="attempt"/> before it returns, which ends the timer and the attempt still waiting (the caller
    /// ends <paramref name="first"/> if that token is not its own).
    /// </summary>
    private async Task<PubAckResponse> AwaitOrResendAsync(OutgoingMessage message, Task<PubAckResponse> first, SentPublish sent, CancellationTokenSource attempt)
    {
        Task<PubAckResponse>? resend = null;
        try
        {
            if (_options.ResendAfter <= TimeSpan.Zero || _options.ResendAfter >= _options.AckTimeout)
            {
                return await first.ConfigureAwait(false);
            }

            var wait = _options.ResendAfter - time.GetElapsedTime(sent.At);
            var timer = wait > TimeSpan.Zero ? Task.Delay(wait, time, attempt.Token) : Task.CompletedTask;
            var woken = await Task.WhenAny(first, timer, sent.Restore).ConfigureAwait(false);
            if (woken == first || attempt.IsCancellationRequested)
            {
                return await first.ConfigureAwait(false);
            }

            var why = sent.Restore.IsCompleted ? "the connection was restored" : "no ack yet";
            var waited = time.GetElapsedTime(sent.At);
            _logger.PublishResent(message.Subject, message.MessageId, waited, why);
            resend = connection.Publishing.PublishAsync(
                message.Subject, message.Payload, opts: message.Options, headers: message.Headers, cancellationToken: attempt.Token).AsTask();
            var answered = await Task.WhenAny(first, resend).ConfigureAwait(false);
            var other = answered == first ? resend : first;
            if (answered.IsCompletedSuccessfully && await answered.ConfigureAwait(false) is var settled && !AskAgain(settled))
            {
                return settled;
            }

            // Failed, or "still storing this id" while the other may yet bring the answer: take the other's.
            return other.IsFaulted ? await answered.ConfigureAwait(false) : await other.ConfigureAwait(false);
        }
        finally
        {
            await attempt.CancelAsync().ConfigureAwait(false);
            if (resend is not null)
            {
                await ((Task)resend).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    /// <summary>Disposes a future; NATS.Net rethrows the failure its reply ended with (no responders), which the caller has handled already.</summary>
    private static async ValueTask DisposeAsync(NatsJSPublishConcurrentFuture future)
    {
        try
        {
            await future.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (NatsFailures.IsTransient(e))
        {
            // The attempt's outcome was taken from its reply (or it is retried); this is the same failure again.
        }
    }

    private ValueTask WhenProvisionedAsync(CancellationToken cancellationToken) =>
        provisioner.Provisioned.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(provisioner.Provisioned.WaitAsync(cancellationToken));

    /// <summary>The stream is still storing the same id (a clustered stream's earlier attempt in flight): asked again after a delay, same id.</summary>
    // Not refusals: "still storing this id", and "temporarily unavailable" (no leader for the moment, as in an
    // election); both are asked again under the same id until the retry deadline. (A full stream is a 503 too.)
    private static bool AskAgain(PubAckResponse response) =>
        response.Error is { ErrCode: JetStreamErrorCodes.DuplicateInProcess or JetStreamErrorCodes.Unavailable };

    private static PublishAck Accept(OutgoingMessage message, PubAckResponse ack)
    {
        if (ack.Error is not { } error)
        {
            return new PublishAck(ack.Stream!, ack.Seq, ack.Duplicate);
        }

        throw Refused(message, error.Code, error.ErrCode, error.Description);
    }

    private static ImbException Refused(OutgoingMessage message, int code, int errCode, string? description)
    {
        var kind = errCode == JetStreamErrorCodes.StreamFull ? ImbErrorKind.StreamFull
            : JetStreamErrorCodes.IsExpectationFailed(errCode) ? ImbErrorKind.ExpectationFailed
            : ImbErrorKind.Rejected;
        return new ImbException($"The stream refused message {message.MessageId} on subject {message.Subject}: {description} (code {code}, err_code {errCode}).")
        {
            Kind = kind,
            ServerErrorCode = errCode,
        };
    }

    /// <summary>Asks the server whether any stream captures the subject: no responders also happens while a stream elects a leader.</summary>
    private async Task<bool> IsCapturedAsync(string subject, CancellationToken cancellationToken)
    {
        try
        {
            // NATS.Net ends a timed-out publish like one without responders, so a silent server gets here too: ask through
            // the publishing context, whose request timeout is AckTimeout, not the API's, so an attempt stays bounded by it.
            await foreach (var _ in connection.Publishing.ListStreamNamesAsync(subject, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            return false;
        }
        catch (Exception e) when (NatsFailures.IsTransient(e) || NatsFailures.IsUnavailable(e))
        {
            // The server cannot say now (disconnected, electing a leader): treat the failure as transient and retry.
            return true;
        }
    }
}
