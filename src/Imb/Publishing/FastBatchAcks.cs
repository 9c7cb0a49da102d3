using System.Collections.Concurrent;
using Imb.Connection;
using Imb.Streams;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Imb.Publishing;

/// <summary>
/// The one subscription every fast-ingest batch's answers arrive on (<c>&lt;inbox&gt;.&lt;batch id&gt;.…</c>), and
/// the loop that hands each answer to its batch. Answers for a batch already over are dropped: its unsettled
/// messages were sent again one by one.
/// </summary>
internal sealed class FastBatchAcks(ImbConnection connection, BatchedStreams streams, ILoggerFactory loggerFactory, TimeProvider time) : IAsyncDisposable
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("Imb.Publishing");
    private readonly ConcurrentDictionary<string, FastBatch> _live = new(StringComparer.Ordinal);
    private INatsSub<ReadOnlyMemory<byte>>? _subscription;
    private Task _reading = Task.CompletedTask;

    /// <summary>Gets the inbox every batch's reply subjects start with.</summary>
    public string Prefix { get; private set; } = string.Empty;

    /// <summary>Subscribes once, before the first batch; the caller holds the send lock. NATS.Net subscribes again after a reconnect.</summary>
    public async ValueTask EnsureListeningAsync(CancellationToken cancellationToken)
    {
        if (_subscription is not null)
        {
            return;
        }

        // Not under the connection's own inbox: NATS.Net hands everything there to its request muxer, which drops
        // what answers no request of its own.
        var prefix = $"{connection.Connection.Opts.InboxPrefix}.FI{Guid.NewGuid():N}";
        _subscription = await connection.Connection.SubscribeCoreAsync<ReadOnlyMemory<byte>>($"{prefix}.>", cancellationToken: cancellationToken).ConfigureAwait(false);
        Prefix = prefix;
        _reading = ReadAsync(_subscription);
    }

    public void Watch(FastBatch batch) => _live[batch.Id] = batch;

    public void Forget(FastBatch batch) => _live.TryRemove(batch.Id, out _);

    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }

        await _reading.ConfigureAwait(false);
    }

    private async Task ReadAsync(INatsSub<ReadOnlyMemory<byte>> subscription)
    {
        await foreach (var answer in subscription.Msgs.ReadAllAsync().ConfigureAwait(false))
        {
            if (BatchIdOf(answer.Subject) is not { } id || !_live.TryGetValue(id, out var batch))
            {
                continue;
            }

            var frame = answer.HasNoResponders
                ? new FastBatchFrame(FastBatchFrameKind.Failed, 0, 0, 0, 503, 0, "no stream captures the subject")
                : FastBatchFrame.Parse(answer.Data);
            var unsettled = batch.Unsettled;
            if (!batch.Apply(frame, time.GetTimestamp()))
            {
                _logger.FastBatchAnswerUnknown(id, batch.Stream, answer.Data.Length);
            }

            Report(batch, frame, unsettled);
            if (batch.IsOver)
            {
                _live.TryRemove(id, out _);
            }
        }
    }

    private void Report(FastBatch batch, in FastBatchFrame frame, long unsettled)
    {
        switch (frame.Kind)
        {
            case FastBatchFrameKind.Gap:
                _logger.FastBatchGap(batch.Id, batch.Stream, frame.Sequence);
                break;
            case FastBatchFrameKind.Failed:
                var description = frame.Description ?? "(no description)";
                _logger.FastBatchRefused(batch.Id, batch.Stream, description, frame.ErrCode, unsettled);
                if (frame.ErrCode == JetStreamErrorCodes.FastBatchDisabled)
                {
                    // The stream changed under us: its messages go the usual way until provisioning sees it again.
                    streams.Forget(batch.Stream);
                }

                break;
        }
    }

    /// <summary>The batch id: the token after the prefix in <c>&lt;prefix&gt;.&lt;id&gt;.&lt;flow&gt;.&lt;gap&gt;.&lt;seq&gt;.&lt;op&gt;.$FI</c>.</summary>
    private string? BatchIdOf(string subject)
    {
        if (subject.Length <= Prefix.Length + 1 || !subject.StartsWith(Prefix, StringComparison.Ordinal) || subject[Prefix.Length] != '.')
        {
            return null;
        }

        var rest = subject.AsSpan(Prefix.Length + 1);
        var dot = rest.IndexOf('.');
        return (dot < 0 ? rest : rest[..dot]).ToString();
    }
}
