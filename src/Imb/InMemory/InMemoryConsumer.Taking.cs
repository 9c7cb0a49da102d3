namespace Imb.InMemory;

/// <summary>How an in-memory consumer takes messages from its stream, and how it waits for a busy publisher.</summary>
internal sealed partial class InMemoryConsumer
{
    private static readonly TimeSpan PublisherBusyNap = TimeSpan.FromMilliseconds(1);

    /// <summary>How many of the sequences from <c>_next</c> to the end of a LastPerSubject start are not delivered; under the lock.</summary>
    private ulong SkippedAtStart()
    {
        if (_initial is null || _next > _initialThrough)
        {
            return 0;
        }

        return _initialThrough - _next + 1 - (ulong)_initial.GetViewBetween(_next, _initialThrough).Count;
    }

    /// <summary>
    /// Gives the processor up for a millisecond, unsignalled, while a publisher keeps appending; true if it did.
    /// </summary>
    /// <remarks>
    /// A consumer that is quicker than its publisher catches up every few messages. Spinning then took processor time
    /// from the publisher (on these machines two threads often share one core's worth), and sleeping until signalled
    /// cost the publisher a thread wake-up every few messages. Measured, rounds interleaved in one process (15 each,
    /// 2 million messages): a median of 4.1 million messages a second spinning, 6.6 million napping. On a clock other
    /// than the system's (a test's fake one) it yields instead: a nap there would wait for the test to move time.
    /// </remarks>
    private async ValueTask<bool> NappedWhileAppendingAsync(ulong next, CancellationToken cancellationToken)
    {
        if (ReferenceEquals(_time, TimeProvider.System))
        {
            await Task.Delay(PublisherBusyNap, _time, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        return _stream.LastSequence >= next;
    }

    /// <summary>
    /// Spins briefly (microseconds, no yielding) for a publisher that is about to append: a consumer that keeps up
    /// with a publisher would otherwise sleep and cost it a thread-pool wake-up for every message or two; true if one did.
    /// </summary>
    private bool AppendedWhileSpinning(ulong next)
    {
        var spinner = default(SpinWait);
        while (!spinner.NextSpinWillYield)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (_stream.LastSequence >= next)
            {
                return true;
            }
        }

        return false;
    }

    private int TakeDueRedeliveries(Span<Delivery> room)
    {
        if (_redeliveries.Count == 0)
        {
            return 0;
        }

        var count = 0;
        var now = _time.GetUtcNow();
        while (count < room.Length && _redeliveries.TryPeek(out var sequence, out var due) && due <= now)
        {
            _redeliveries.Dequeue();
            if (!_ledger.IsOutstanding(sequence))
            {
                continue;
            }

            if (_stream.Locate(sequence) is ({ } segment, var index))
            {
                room[count++] = new Delivery(segment, index, _ledger.Redelivered(sequence));
            }
            else
            {
                // Discarded from the stream meanwhile: nothing left to redeliver, as on NATS.
                _ledger.Settle(sequence);
            }
        }

        return count;
    }

    private int TakeNew(Span<Delivery> room)
    {
        if (room.IsEmpty || _next > _stream.LastSequence)
        {
            return 0;
        }

        var slice = _stream.Read(_next, room.Length);
        var count = Take(slice.First, slice.Deleted, room, 0);
        return Take(slice.Second, slice.Deleted, room, count);
    }

    private int Take(ArraySegment<StoredMessage> messages, ulong[]? deleted, Span<Delivery> room, int count)
    {
        for (var i = messages.Offset; i < messages.Offset + messages.Count; i++)
        {
            ref readonly var message = ref messages.Array![i];
            if (Delivers(message, deleted))
            {
                _ledger.Delivered(message.Sequence);
                room[count++] = new Delivery(messages.Array, i, 1);
            }
            else
            {
                _ledger.SkipThrough(message.Sequence);
            }

            _next = message.Sequence + 1;
        }

        return count;
    }

    private bool Delivers(in StoredMessage message, ulong[]? deleted)
    {
        if (deleted is not null && Array.BinarySearch(deleted, message.Sequence) >= 0)
        {
            return false;
        }

        if (_initial is not null)
        {
            if (message.Sequence <= _initialThrough)
            {
                return _initial.Contains(message.Sequence);
            }

            _initial = null;
        }

        return Wants(message.Subject);
    }
}
