using System.Globalization;

namespace Imb.Publishing;

/// <summary>Where one message of a fast-ingest batch stands.</summary>
internal enum FastOutcome
{
    /// <summary>No answer covers it yet.</summary>
    Pending,

    /// <summary>The stream has it (stored now, or already under the same id).</summary>
    Stored,

    /// <summary>The stream refused it, with a reason.</summary>
    Rejected,

    /// <summary>The batch ended before an answer covered it: it may or may not be stored, so it is sent again under its id.</summary>
    Unknown,
}

/// <summary>
/// One fast-ingest batch into one stream (ADR-50): the batch sequences sent, how far the server's flow acks say
/// they are stored, which it refused, and whether the batch is over. Everything in the batch's reply subjects is
/// fixed here: inbox (whose last token is the batch id), the flow asked for, gap mode "fail", sequence, operation.
/// </summary>
internal sealed class FastBatch(string stream, string id, string inbox, int flow, Task restore, long startedAt)
{
    public const int Start = 0;
    public const int Add = 1;
    public const int EndOfBatch = 3;

    private readonly Lock _gate = new();
    private readonly string _replyPrefix = $"{inbox}.{flow.ToString(CultureInfo.InvariantCulture)}.fail.";
    private TaskCompletionSource _changed = NewSignal();
    private Dictionary<long, FastBatchFrame>? _rejected;
    private long _sent;
    private long _stored;
    private int _flow = flow;
    private bool _ending;
    private bool _over;
    private long _heardAt = startedAt;
    private string _lastSubject = string.Empty;
    private long _lastSentAt = startedAt;

    public string Stream => stream;

    public string Id => id;

    /// <summary>Completes when the connection is next restored after the batch began: answers owed from before may never come.</summary>
    public Task Restore => restore;

    /// <summary>Completes at the next answer (or when the batch is given up); take it before reading the state.</summary>
    public Task Changed
    {
        get
        {
            lock (_gate)
            {
                return _changed.Task;
            }
        }
    }

    /// <summary>When the server last said something about this batch (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long HeardAt => Interlocked.Read(ref _heardAt);

    /// <summary>Gets a value indicating whether new messages may still join: not ending, not over, no reconnect since it began.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return !_ending && !_over && !restore.IsCompleted;
            }
        }
    }

    /// <summary>Gets a value indicating whether nothing more will be stored under this batch.</summary>
    public bool IsOver
    {
        get
        {
            lock (_gate)
            {
                return _over;
            }
        }
    }

    /// <summary>The highest batch sequence taken so far.</summary>
    public long Sent
    {
        get
        {
            lock (_gate)
            {
                return _sent;
            }
        }
    }

    /// <summary>How many messages have no answer yet.</summary>
    public long Unsettled
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(0, _sent - (_ending ? 1 : 0) - _stored - (_rejected?.Count ?? 0));
            }
        }
    }

    public string ReplyTo(long sequence, int operation) =>
        string.Concat(_replyPrefix, sequence.ToString(CultureInfo.InvariantCulture), operation switch { Start => ".0.$FI", Add => ".1.$FI", _ => ".3.$FI" });

    /// <summary>When the last message was sent into it (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long LastSentAt => Interlocked.Read(ref _lastSentAt);

    /// <summary>Takes the next batch sequence for a message on <paramref name="subject"/>; the caller sends it in sequence order.</summary>
    public long Reserve(string subject, long now)
    {
        lock (_gate)
        {
            _lastSubject = subject;
            _lastSentAt = now;
            return ++_sent;
        }
    }

    /// <summary>Takes the sequence for the end-of-batch marker (sent on the last subject, so the same stream gets it); false when the batch is already ending or over.</summary>
    public bool TryEnd(out long sequence, out string subject)
    {
        lock (_gate)
        {
            subject = _lastSubject;
            sequence = 0;
            if (_ending || _over || _sent == 0)
            {
                return false;
            }

            _ending = true;
            sequence = ++_sent;
            return true;
        }
    }

    /// <summary>Tells whether the server owes a flow ack covering <paramref name="sequence"/>: it acks every flow messages.</summary>
    public bool AckOwed(long sequence)
    {
        lock (_gate)
        {
            var boundary = (sequence + _flow - 1) / _flow * _flow;
            return _ending || _sent >= boundary;
        }
    }

    public (FastOutcome Outcome, FastBatchFrame Refusal) OutcomeOf(long sequence)
    {
        lock (_gate)
        {
            if (_rejected?.TryGetValue(sequence, out var refusal) == true)
            {
                return (FastOutcome.Rejected, refusal);
            }

            return sequence <= _stored ? (FastOutcome.Stored, default)
                : _over ? (FastOutcome.Unknown, default)
                : (FastOutcome.Pending, default);
        }
    }

    /// <summary>Takes in one answer; returns false when it was not one this client knows, and the batch is given up.</summary>
    public bool Apply(in FastBatchFrame frame, long now)
    {
        lock (_gate)
        {
            _heardAt = now;
            switch (frame.Kind)
            {
                case FastBatchFrameKind.FlowAck:
                    _stored = Math.Max(_stored, frame.Sequence);
                    _flow = frame.Messages > 0 ? frame.Messages : _flow;
                    break;
                case FastBatchFrameKind.Rejected:
                    (_rejected ??= [])[frame.Sequence] = frame;
                    break;
                case FastBatchFrameKind.Ended:
                    // The count covers the messages the server handled, in order, before the batch ended.
                    _stored = Math.Max(_stored, frame.Count);
                    _over = true;
                    break;
                case FastBatchFrameKind.Gap:
                    break;
                default:
                    _over = true;
                    break;
            }

            Signal();
            return frame.Kind != FastBatchFrameKind.Unknown;
        }
    }

    /// <summary>Ends the batch on this side: what has no answer yet is <see cref="FastOutcome.Unknown"/>.</summary>
    public void GiveUp()
    {
        lock (_gate)
        {
            _over = true;
            Signal();
        }
    }

    private void Signal()
    {
        var changed = _changed;
        _changed = NewSignal();
        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
