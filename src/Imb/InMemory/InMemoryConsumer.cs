using Imb.Subscribing;
using Imb.Streams;

namespace Imb.InMemory;

/// <summary>
/// A durable consumer of an in-memory stream: delivers matching messages in stream order (from the start the
/// subscription asked for), at most MaxAckPending awaiting their ack, redelivers nakked ones when their delay is up,
/// counts deliveries, and forgets a message once it is acked or terminated.
/// </summary>
/// <remarks>
/// Every field below is guarded by <c>_lock</c>; only the immutable ones (stream, filter, clock) are read without.
/// New messages are read from the stream a batch at a time under one lock; a consumer with nothing to do registers
/// with the stream and sleeps until the next append, the next due redelivery or (when at MaxAckPending) the next ack.
/// </remarks>
internal sealed partial class InMemoryConsumer
{
    private readonly Lock _lock = new();
    private readonly InMemoryStream _stream;
    private readonly IReadOnlyList<string> _filters;
    private readonly int _maxAckPending;
    private readonly TimeProvider _time;
    private readonly PriorityQueue<ulong, DateTimeOffset> _redeliveries = new();
    private readonly DeliveryLedger _ledger;
    private TaskCompletionSource? _signal;
    private ulong _next;

    // A LastPerSubject start: up to _initialThrough, only these sequences are delivered.
    private SortedSet<ulong>? _initial;
    private ulong _initialThrough;

    // Set when messages keep coming while the consumer is caught up: it then naps instead of spinning or sleeping.
    private bool _publisherBusy;

    // Set while the consumer waits at MaxAckPending: the next ack wakes it.
    private bool _waitingForAcks;

    public InMemoryConsumer(InMemoryStream stream, string name, SubscriptionOptions options, TimeProvider time)
    {
        _stream = stream;
        _filters = SubscriptionFilters.Of(options);
        _maxAckPending = options.MaxAckPending;
        _time = time;
        Name = name;
        _next = options.Start switch
        {
            SubscriptionStart.New => stream.LastSequence + 1,
            SubscriptionStart.Last => Math.Max(stream.LastSequence, 1),
            _ => 1,
        };
        if (options.Start == SubscriptionStart.LastPerSubject)
        {
            (_initial, _initialThrough) = stream.LastPerSubject(_filters);
            _next = _initial.Count > 0 ? _initial.Min : _initialThrough + 1;
        }

        _ledger = new DeliveryLedger(_next - 1);
    }

    public string Name { get; }

    public string Stream => _stream.Name;

    /// <summary>Gets how many messages wait for delivery or redelivery, and how many are delivered and not yet settled.</summary>
    public (ulong Pending, ulong AckPending) Counts
    {
        get
        {
            lock (_lock)
            {
                var last = _stream.LastSequence;
                var waiting = last >= _next ? last - _next + 1 - Math.Min(last - _next + 1, SkippedAtStart()) : 0;
                return (waiting + (ulong)_redeliveries.Count, _ledger.Outstanding - (ulong)_redeliveries.Count);
            }
        }
    }

    /// <summary>Gets a value indicating whether the consumer's filter takes messages on <paramref name="subject"/>.</summary>
    public bool Wants(string subject) => _filters.Count == 0 || Matches(_filters, subject);

    /// <summary>Whether any of <paramref name="filters"/> takes <paramref name="subject"/>.</summary>
    public static bool Matches(IReadOnlyList<string> filters, string subject)
    {
        foreach (var filter in filters)
        {
            if (SubjectRules.Matches(filter, subject))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Gets a value indicating whether this consumer is done with a message: acked, terminated, or never its to take.</summary>
    public bool HasSettled(ulong sequence, string subject)
    {
        if (!Wants(subject))
        {
            return true;
        }

        lock (_lock)
        {
            return sequence < _next && !_ledger.IsOutstanding(sequence);
        }
    }

    /// <summary>Waits for messages to deliver, fills <paramref name="batch"/> with redeliveries that are due, then new ones; returns how many.</summary>
    public async ValueTask<int> NextAsync(Delivery[] batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            ulong next;
            bool busy, atLimit;
            lock (_lock)
            {
                var count = TakeDueRedeliveries(batch);
                var room = (int)Math.Min((ulong)(batch.Length - count), AckRoom());
                count += TakeNew(batch.AsSpan(count, room));
                if (count > 0)
                {
                    return count;
                }

                (next, busy, atLimit) = (_next, _publisherBusy, room == 0 && _stream.LastSequence >= _next);
            }

            // At MaxAckPending, new messages change nothing: only an ack (or a due redelivery) does.
            if (!atLimit && busy)
            {
                var appended = await NappedWhileAppendingAsync(next, cancellationToken).ConfigureAwait(false);
                SetPublisherBusy(appended);
                continue;
            }

            if (!atLimit && AppendedWhileSpinning(next))
            {
                SetPublisherBusy(true);
                continue;
            }

            var (signal, untilDue) = PrepareToSleep(atLimit);
            if (!atLimit && !_stream.SleepAfter(next - 1, this))
            {
                continue;
            }

            await SleepAsync(signal, untilDue, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Ack(ulong sequence) => Ack([sequence]);

    public void Ack(ReadOnlySpan<ulong> sequences)
    {
        bool wake;
        lock (_lock)
        {
            foreach (var sequence in sequences)
            {
                _ledger.Settle(sequence);
            }

            wake = _waitingForAcks;
            _waitingForAcks = false;
        }

        if (wake)
        {
            Signal();
        }

        _stream.Settled(sequences, this);
    }

    public void Nak(ulong sequence, TimeSpan delay)
    {
        lock (_lock)
        {
            _redeliveries.Enqueue(sequence, _time.GetUtcNow() + delay);
        }

        Signal();
    }

    /// <summary>Wakes the consumer if it sleeps: a new message was appended, an ack came at MaxAckPending, or a nak is due soon.</summary>
    public void Signal() => Interlocked.Exchange(ref _signal, null)?.TrySetResult();

    /// <summary>How many more messages may be delivered before MaxAckPending is reached.</summary>
    private ulong AckRoom()
    {
        var inHand = _ledger.Outstanding - (ulong)_redeliveries.Count;
        return inHand >= (ulong)_maxAckPending ? 0 : (ulong)_maxAckPending - inHand;
    }

    private void SetPublisherBusy(bool busy)
    {
        lock (_lock)
        {
            _publisherBusy = busy;
        }
    }

    private (Task Signal, TimeSpan? UntilDue) PrepareToSleep(bool atLimit)
    {
        lock (_lock)
        {
            _waitingForAcks = atLimit;
            TimeSpan? untilDue = null;
            if (_redeliveries.TryPeek(out _, out var due))
            {
                // Computed after the nak that may have just arrived; never negative (Task.Delay refuses that).
                var now = _time.GetUtcNow();
                untilDue = due > now ? due - now : TimeSpan.Zero;
            }

            // One signal shared by every worker of this consumer that sleeps now: a signal wakes them all.
            var current = _signal;
            if (current is null || current.Task.IsCompleted)
            {
                current = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _signal = current;
            }

            return (current.Task, untilDue);
        }
    }

    private async Task SleepAsync(Task signal, TimeSpan? untilDue, CancellationToken cancellationToken)
    {
        if (untilDue is not { } delay)
        {
            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // The redelivery timer is cancelled once the signal wins, so no timer outlives the sleep.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var due = Task.Delay(delay, _time, timer.Token);
        await Task.WhenAny(signal, due).ConfigureAwait(false);
        await timer.CancelAsync().ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }
}
