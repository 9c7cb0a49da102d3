using Imb.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Imb.Publishing;

/// <summary>
/// The asynchronous publish path: a bounded window of messages awaiting their acks, one loop that takes each
/// outcome in order, reports failures, and completes flushes once everything before them is settled.
/// </summary>
internal sealed class PublishPipeline : IAsyncDisposable
{
    private readonly JetStreamPublisher _publisher;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _window;
    private readonly Channel<Entry> _entries;
    private readonly CancellationTokenSource _abandon = new();
    private readonly int _maxInFlight;
    private readonly PublishMetrics _metrics;
    private readonly Func<bool> _flushWaiting;
    private Task _loop = Task.CompletedTask;
    private volatile bool _stopped;
    private int _started;

    public PublishPipeline(JetStreamPublisher publisher, IOptions<ImbOptions> options, ILoggerFactory loggerFactory, PublishMetrics metrics)
    {
        _metrics = metrics;
        _publisher = publisher;
        _logger = loggerFactory.CreateLogger("Imb.Publishing");
        var maxInFlight = _maxInFlight = options.Value.Publishing.MaxInFlight;
        _window = new SemaphoreSlim(maxInFlight, maxInFlight);

        // Room for every in-flight message plus flush markers; the window, not the channel, applies backpressure.
        _entries = Channel.CreateBounded<Entry>(new BoundedChannelOptions(maxInFlight + 256) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
        _flushWaiting = () => _entries.Reader.TryPeek(out var next) && next.Flushed is not null;
    }

    public event Action<PublishFailure>? Failed;

    /// <summary>Gets how many enqueued messages are sent and await their ack.</summary>
    public int WindowDepth => _maxInFlight - _window.CurrentCount;

    /// <summary>Starts the ack loop on first use; it runs until stop.</summary>
    private void EnsureStarted()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = RunAsync();
        }
    }

    public async ValueTask EnqueueAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            throw new ImbException($"Cannot enqueue a message on subject {message.Subject}: the host has stopped Imb's publishing.") { Kind = ImbErrorKind.Rejected };
        }

        EnsureStarted();
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        SentPublish sent;
        try
        {
            sent = await _publisher.BeginAsync(message, _abandon.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _window.Release();
            throw;
        }

        try
        {
            await _entries.Writer.WriteAsync(new Entry(message, sent, null), CancellationToken.None).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Stop completed the loop between our check and this write: the message is already sent, so settle it
            // here; the caller gets its outcome directly instead of a report.
            try
            {
                await _publisher.CompleteAsync(message, sent, null, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _window.Release();
            }
        }
    }

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await _entries.Writer.WriteAsync(new Entry(null, default, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Stopped: the loop settles (stores or reports) everything it was given before it ends.
            await _loop.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Flushes within <paramref name="timeout"/>; what is still unacknowledged then is abandoned and reported failed.</summary>
    public async Task StopAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_stopped)
        {
            await _loop.ConfigureAwait(false);
            return;
        }

        _stopped = true;
        if (Volatile.Read(ref _started) == 0)
        {
            // Nothing was ever enqueued (or the host failed before publishing began): nothing to flush.
            _entries.Writer.TryComplete();
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await FlushAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _logger.PublishFlushTimedOut(timeout);
            await _abandon.CancelAsync().ConfigureAwait(false);
        }

        _entries.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        try
        {
            await _publisher.EndOpenBatchesAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            // Out of time: the server drops batches left idle on its own.
        }
    }

    public async ValueTask DisposeAsync()
    {
        _entries.Writer.TryComplete();
        await _abandon.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _abandon.Dispose();
        _window.Dispose();
    }

    private async Task RunAsync()
    {
        await foreach (var entry in _entries.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (entry.Flushed is { } flushed)
            {
                flushed.TrySetResult();
                continue;
            }

            try
            {
                await _publisher.CompleteAsync(entry.Message!, entry.Sent, _flushWaiting, _abandon.Token).ConfigureAwait(false);
                _metrics.Stored(null, pipelined: true, started: 0);
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                Report(entry.Message!, new ImbException($"Message {entry.Message!.MessageId} on subject {entry.Message.Subject} was abandoned unacknowledged when the host stopped.") { Kind = ImbErrorKind.Timeout });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever went wrong with one message, the loop goes on for the others; every failure is reported.
                Report(entry.Message!, e as ImbException ?? new ImbException($"Message {entry.Message!.MessageId} on subject {entry.Message.Subject} failed: {e.Message}", e));
            }
            finally
            {
                _window.Release();
            }
        }
    }

    private void Report(OutgoingMessage message, ImbException error)
    {
        _metrics.Refused(error, pipelined: true, started: 0);
        _logger.EnqueuedMessageFailed(error, message.Subject, message.MessageId, error.Kind);
        try
        {
            Failed?.Invoke(new PublishFailure(message.Subject, message.MessageId, error));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The application's handler failed; the loop must go on for every other message.
            _logger.EnqueueFailedHandlerThrew(e, message.Subject, message.MessageId);
        }
    }

    private sealed record Entry(OutgoingMessage? Message, SentPublish Sent, TaskCompletionSource? Flushed);
}
