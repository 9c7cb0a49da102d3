namespace Imb.InMemory;

/// <summary>
/// Which messages an in-memory consumer has delivered and not yet heard back about, and how often each was delivered,
/// without an entry per message in the usual case: everything up to the ack floor is settled, and above it only
/// messages settled out of order and messages delivered more than once have entries. Not thread-safe: the
/// consumer's lock guards it.
/// </summary>
internal sealed class DeliveryLedger(ulong floor)
{
    private readonly HashSet<ulong> _settledAbove = [];
    private readonly Dictionary<ulong, int> _redelivered = [];
    private ulong _floor = floor;
    private ulong _delivered = floor;

    /// <summary>Gets how many delivered messages are neither acked nor terminated (waiting redeliveries included).</summary>
    public ulong Outstanding => _delivered - _floor - (ulong)_settledAbove.Count;

    public bool IsOutstanding(ulong sequence) => sequence > _floor && sequence <= _delivered && !_settledAbove.Contains(sequence);

    /// <summary>Records the first delivery of <paramref name="sequence"/>; messages between the last one and it were skipped.</summary>
    public void Delivered(ulong sequence)
    {
        SkipThrough(sequence - 1);
        _delivered = sequence;
    }

    /// <summary>Records that messages up to <paramref name="sequence"/> will never be delivered (filtered out, or discarded first).</summary>
    public void SkipThrough(ulong sequence)
    {
        if (_floor == _delivered)
        {
            _floor = _delivered = Math.Max(_delivered, sequence);
            return;
        }

        for (; _delivered < sequence; _delivered++)
        {
            _settledAbove.Add(_delivered + 1);
        }
    }

    /// <summary>Records one more delivery of an outstanding message; returns its delivery count.</summary>
    public int Redelivered(ulong sequence)
    {
        var count = _redelivered.GetValueOrDefault(sequence, 1) + 1;
        _redelivered[sequence] = count;
        return count;
    }

    /// <summary>Forgets a message that was acked or terminated.</summary>
    public void Settle(ulong sequence)
    {
        if (!IsOutstanding(sequence))
        {
            return;
        }

        if (_redelivered.Count > 0)
        {
            _redelivered.Remove(sequence);
        }

        if (sequence != _floor + 1)
        {
            _settledAbove.Add(sequence);
            return;
        }

        _floor++;
        while (_settledAbove.Count > 0 && _settledAbove.Remove(_floor + 1))
        {
            _floor++;
        }
    }
}
