namespace Imb.Subscribing;

/// <summary>
/// The acks (and terminations) a subscription sent that the server has not yet been seen to read. An ack is a plain
/// publish: one written into a connection that is then reset, or into a server that then stops, is gone, and its
/// message comes back after the ack wait to be handled a second time. The server reads a connection in order, so a
/// PONG answers for everything written before its PING: <see cref="Seal"/> before a ping and <see cref="Confirm"/>
/// after it forget what was read; <see cref="TakeUnconfirmed"/> hands the rest back to be sent again on the next
/// connection. Sending an ack twice is harmless: the server ignores an ack for a message it no longer has pending.
/// </summary>
internal sealed class AckLedger(int confirmEvery)
{
    private readonly Lock _gate = new();
    private readonly Queue<(long Seal, List<SentAck> Acks)> _sealed = new();
    private TaskCompletionSource _due = NewSignal();
    private readonly Stack<List<SentAck>> _spare = new();
    private List<SentAck> _open = [];
    private long _seals;

    /// <summary>Gets the number of acks not yet confirmed.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _open.Count + _sealed.Sum(s => s.Acks.Count);
            }
        }
    }

    /// <summary>Records an ack once it is written to the connection; every <c>confirmEvery</c> acks, asks for a confirmation.</summary>
    public void Record(string replyTo, ReadOnlyMemory<byte> payload)
    {
        lock (_gate)
        {
            _open.Add(new SentAck(replyTo, payload));
            if (_open.Count != confirmEvery)
            {
                return;
            }
        }

        Volatile.Read(ref _due).TrySetResult();
    }

    /// <summary>Waits until enough acks were recorded to confirm them, or <paramref name="period"/> has passed.</summary>
    public async Task WaitUntilDueAsync(TimeSpan period, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _due).Task.WaitAsync(period, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The period is over: time to confirm what there is.
        }

        // A signal that lands on the old source in between is not lost for long: the period covers it.
        Interlocked.Exchange(ref _due, NewSignal());
    }

    /// <summary>Closes the acks recorded so far into a seal, to be confirmed by a ping sent after this call.</summary>
    /// <returns>The seal, or <see langword="null"/> when nothing is waiting for a confirmation.</returns>
    public long? Seal()
    {
        lock (_gate)
        {
            if (_open.Count == 0)
            {
                return null;
            }

            _sealed.Enqueue((++_seals, _open));
            _open = _spare.TryPop(out var spare) ? spare : [];
            return _seals;
        }
    }

    /// <summary>Forgets the acks of <paramref name="seal"/> and every earlier one: the server has read them.</summary>
    public void Confirm(long seal)
    {
        lock (_gate)
        {
            while (_sealed.TryPeek(out var oldest) && oldest.Seal <= seal)
            {
                // Kept for the next seal: at a steady rate the ledger then allocates nothing.
                _sealed.Dequeue();
                oldest.Acks.Clear();
                _spare.Push(oldest.Acks);
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Takes every unconfirmed ack, oldest first, to be sent again on a new connection.</summary>
    public IReadOnlyList<SentAck> TakeUnconfirmed()
    {
        lock (_gate)
        {
            var all = new List<SentAck>(_open.Count + _sealed.Sum(s => s.Acks.Count));
            while (_sealed.TryDequeue(out var seal))
            {
                all.AddRange(seal.Acks);
            }

            all.AddRange(_open);
            _open = [];
            return all;
        }
    }
}

/// <summary>One ack as it went on the wire: the message's ack subject and the ack's payload (<c>+ACK</c>, <c>+TERM</c>...).</summary>
internal readonly record struct SentAck(string ReplyTo, ReadOnlyMemory<byte> Payload);
