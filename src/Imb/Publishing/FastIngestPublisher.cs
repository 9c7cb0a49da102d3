using System.Collections.Concurrent;
using Imb.Connection;
using Imb.Streams;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.Publishing;

/// <summary>
/// Sends enqueued messages for streams that allow it as fast-ingest batches (ADR-50, nats-server 2.14+): plain
/// publishes whose reply subject carries the batch id and sequence, answered by a flow ack every so many messages
/// instead of one ack each. Every message keeps its Nats-Msg-Id, so a message whose batch ends unanswered (a
/// reconnect, a server restart, a refusal further up the batch) is sent again one by one and never stored twice.
/// </summary>
internal sealed class FastIngestPublisher(ImbConnection connection, BatchedStreams streams, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, TimeProvider time) : IAsyncDisposable
{
    // Long enough for a publisher in full flow to send the next message, short enough not to show in a flush.
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(2);

    // A batch left open this long is ended before the next message: the server drops one idle for 10 s, with an advisory.
    private static readonly TimeSpan Stale = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");
    private readonly PublishingOptions _options = options.Value.Publishing;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly Dictionary<string, FastBatch> _open = new(StringComparer.Ordinal);
    private readonly FastBatchAcks _acks = new(connection, streams, loggerFactory, time);
    private readonly string _instance = Guid.NewGuid().ToString("N")[..12];
    private long _batches;

    /// <summary>The batched stream that will store <paramref name="message"/>, or <see langword="null"/> when it goes the usual way.</summary>
    /// <remarks>Messages with expectations go the usual way: a batch checks them against the stream as it was before the batch.</remarks>
    public string? StreamFor(OutgoingMessage message) =>
        streams.IsEmpty || HasExpectations(message.Options) ? null : streams.StreamOf(message.Subject);

    /// <summary>Sends one message into the stream's open batch (a new one when there is none) without waiting for an answer.</summary>
    public async ValueTask<(FastBatch Batch, long Sequence)> SendAsync(string stream, OutgoingMessage message, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        FastBatch? batch = null;
        try
        {
            await _acks.EnsureListeningAsync(cancellationToken).ConfigureAwait(false);
            batch = await OpenBatchAsync(stream, cancellationToken).ConfigureAwait(false);
            var sequence = batch.Reserve(message.Subject, time.GetTimestamp());
            var replyTo = batch.ReplyTo(sequence, sequence == 1 ? FastBatch.Start : FastBatch.Add);
            await connection.Connection.PublishAsync(message.Subject, message.Payload, HeadersOf(message), replyTo, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (batch, sequence);
        }
        catch (Exception) when (batch is not null)
        {
            // The sequence may not have reached the server, a gap it would end the batch for: give it up now.
            GiveUp(batch, "a message could not be sent");
            throw;
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>
    /// Waits until an answer covers message <paramref name="sequence"/> of <paramref name="batch"/>. When no flow ack
    /// is owed for it, the batch ends (its end marker is answered with how many messages the stream handled) once a
    /// flush waits, or the batch stopped growing for a moment, or a quarter of the answer wait has passed; the batch is
    /// given up when the connection was restored or the server said nothing for <see cref="PublishingOptions.ResendAfter"/>.
    /// </summary>
    /// <param name="batch">The batch the message went in.</param>
    /// <param name="sequence">Its batch sequence.</param>
    /// <param name="sentAt">When it was sent (<see cref="TimeProvider.GetTimestamp"/>).</param>
    /// <param name="flushWaiting">Tells whether a flush waits behind this message; <see langword="null"/> ends at once.</param>
    /// <param name="cancellationToken">Abandons the wait.</param>
    public async Task<(FastOutcome Outcome, FastBatchFrame Refusal)> SettleAsync(FastBatch batch, long sequence, long sentAt, Func<bool>? flushWaiting, CancellationToken cancellationToken)
    {
        var quietLimit = _options.ResendAfter > TimeSpan.Zero && _options.ResendAfter < _options.AckTimeout ? _options.ResendAfter : _options.AckTimeout;
        var first = batch.OutcomeOf(sequence);
        if (first.Outcome != FastOutcome.Pending)
        {
            // In full flow the answer is usually in before the message's turn comes.
            return first;
        }

        var grown = -1L;
        while (true)
        {
            var changed = batch.Changed;
            var (outcome, refusal) = batch.OutcomeOf(sequence);
            if (outcome != FastOutcome.Pending)
            {
                return (outcome, refusal);
            }

            if (batch.Restore.IsCompleted)
            {
                GiveUp(batch, "the connection was restored");
                continue;
            }

            var quiet = quietLimit - time.GetElapsedTime(Math.Max(sentAt, batch.HeardAt));
            if (quiet <= TimeSpan.Zero)
            {
                GiveUp(batch, $"no answer for {quietLimit}");
                continue;
            }

            var wait = quiet;
            if (!batch.AckOwed(sequence))
            {
                var sent = batch.Sent;
                if (flushWaiting?.Invoke() != false || sent == grown || time.GetElapsedTime(sentAt) > quietLimit / 4)
                {
                    await EndAsync(batch, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                // The publisher may be sending on: wait a moment and look again, rather than end every batch short.
                grown = sent;
                wait = quiet < Linger ? quiet : Linger;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var delay = Task.Delay(wait, time, stop.Token);
            await Task.WhenAny(changed, delay, batch.Restore).ConfigureAwait(false);
            await stop.CancelAsync().ConfigureAwait(false);
            await delay.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Ends every open batch (host stop, after the flush): the server need not wait for them to go idle.</summary>
    public async Task EndOpenAsync(CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var batch in _open.Values)
            {
                await EndLockedAsync(batch, cancellationToken).ConfigureAwait(false);
            }

            _open.Clear();
        }
        finally
        {
            _send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _acks.DisposeAsync().ConfigureAwait(false);
        _send.Dispose();
    }

    /// <summary>Sends the end-of-batch marker; the server answers with how many messages it handled, which settles the rest.</summary>
    private async Task EndAsync(FastBatch batch, CancellationToken cancellationToken)
    {
        await _send.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await EndLockedAsync(batch, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>Ends a batch; the send lock is held.</summary>
    private async Task EndLockedAsync(FastBatch batch, CancellationToken cancellationToken)
    {
        if (!batch.TryEnd(out var sequence, out var subject))
        {
            return;
        }

        try
        {
            await connection.Connection.PublishAsync(subject, ReadOnlyMemory<byte>.Empty, headers: null, batch.ReplyTo(sequence, FastBatch.EndOfBatch), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (NatsFailures.IsTransient(e) && !cancellationToken.IsCancellationRequested)
        {
            GiveUp(batch, "its end could not be sent");
        }
    }

    /// <summary>The stream's open batch, or a new one (ending one left idle); the send lock is held.</summary>
    private async ValueTask<FastBatch> OpenBatchAsync(string stream, CancellationToken cancellationToken)
    {
        if (_open.TryGetValue(stream, out var open) && open.IsOpen)
        {
            if (time.GetElapsedTime(open.LastSentAt) < Stale)
            {
                return open;
            }

            await EndLockedAsync(open, cancellationToken).ConfigureAwait(false);
        }

        var id = $"{_instance}{Interlocked.Increment(ref _batches):x}";
        var batch = new FastBatch(stream, id, $"{_acks.Prefix}.{id}", FlowFor(_options.MaxInFlight), connection.NextRestore, time.GetTimestamp());
        _open[stream] = batch;
        _acks.Watch(batch);
        return batch;
    }

    private void GiveUp(FastBatch batch, string why)
    {
        if (batch.IsOver)
        {
            return;
        }

        var unsettled = batch.Unsettled;
        batch.GiveUp();
        _acks.Forget(batch);
        _logger.FastBatchGivenUp(batch.Id, batch.Stream, why, unsettled);
    }

    /// <summary>A flow ack every half window keeps acks coming before the window fills; more often costs the server (measured: a quarter window ~10% slower).</summary>
    internal static int FlowFor(int maxInFlight) => Math.Clamp(maxInFlight / 2, 1, 512);

    private static bool HasExpectations(NatsJSPubOpts options) =>
        options.ExpectedStream is not null || options.ExpectedLastSequence is not null || options.ExpectedLastSubjectSequence is not null || options.ExpectedLastMsgId is not null;

    private static NatsHeaders HeadersOf(OutgoingMessage message)
    {
        var headers = new NatsHeaders();
        if (message.Headers is { } given)
        {
            foreach (var (name, value) in given)
            {
                headers[name] = value;
            }
        }

        headers[NatsHeaderNames.MessageId] = message.MessageId;
        return headers;
    }
}
