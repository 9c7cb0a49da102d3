namespace Imb.InMemory;

/// <summary>
/// Generated ids of messages an in-memory stream discarded while its duplicate window still covers them. They arrive
/// in log order, so ids increase and times never decrease along the ring: an id is found by binary search and the
/// oldest expire from the front, with no hashing (a dictionary and an age queue cost ~600 ns a discard, measured
/// on a stream at its message limit). Not thread-safe: the stream's lock guards it.
/// </summary>
internal sealed class DiscardedIds
{
    private Entry[] _ring = new Entry[16];
    private int _head;
    private int _count;

    public int Count => _count;

    /// <summary>Adds the id of the message discarded last; it must be greater than every id already here.</summary>
    public void Add(UInt128 id, ulong sequence, DateTimeOffset storedAt)
    {
        if (_count == _ring.Length)
        {
            var grown = new Entry[_ring.Length * 2];
            for (var i = 0; i < _count; i++)
            {
                grown[i] = At(i);
            }

            (_ring, _head) = (grown, 0);
        }

        _ring[(_head + _count) % _ring.Length] = new Entry(id, sequence, storedAt.UtcTicks);
        _count++;
    }

    /// <summary>Forgets the ids of messages stored longer than <paramref name="window"/> before <paramref name="now"/>.</summary>
    public void ForgetOlderThan(TimeSpan window, DateTimeOffset now)
    {
        while (_count > 0 && now.UtcTicks - _ring[_head].StoredAtTicks > window.Ticks)
        {
            _head = (_head + 1) % _ring.Length;
            _count--;
        }
    }

    public bool TryFind(UInt128 id, out ulong sequence, out DateTimeOffset storedAt)
    {
        int low = 0, high = _count;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (At(middle).Id < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        var found = low < _count && At(low).Id == id;
        sequence = found ? At(low).Sequence : 0;
        storedAt = found ? new DateTimeOffset(At(low).StoredAtTicks, TimeSpan.Zero) : default;
        return found;
    }

    private ref readonly Entry At(int index) => ref _ring[(_head + index) % _ring.Length];

    private readonly record struct Entry(UInt128 Id, ulong Sequence, long StoredAtTicks);
}
