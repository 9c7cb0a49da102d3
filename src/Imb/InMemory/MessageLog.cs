namespace Imb.InMemory;

/// <summary>
/// The messages an in-memory stream holds, by sequence, in fixed-size segments: a long stream never grows (and
/// copies) one huge array, and the first segment goes once every message in it is discarded. A message removed from
/// the middle (a per-subject limit, retention) is marked deleted; a log without such removals pays nothing for them.
/// The stream's lock guards it; only <see cref="Last"/> may be read without (consumers look at it before they sleep).
/// </summary>
internal sealed class MessageLog
{
    private const int SegmentSize = 8192;
    private readonly List<StoredMessage[]> _segments = [];
    private readonly SortedSet<ulong> _deleted = [];
    private ulong _baseSequence = 1;
    private ulong _last;

    /// <summary>Gets the sequence of the oldest message held (one past <see cref="Last"/> when empty).</summary>
    public ulong First { get; private set; } = 1;

    /// <summary>Gets the sequence of the newest message ever appended; 0 before the first.</summary>
    public ulong Last => Volatile.Read(ref _last);

    public ulong Count => _last + 1 - First - (ulong)_deleted.Count;

    public bool Holds(ulong sequence) => sequence >= First && sequence <= _last && (_deleted.Count == 0 || !_deleted.Contains(sequence));

    /// <summary>The sequences deleted from the middle between <paramref name="from"/> and <paramref name="to"/>, for a reader that skips them; null when there are none.</summary>
    public ulong[]? DeletedBetween(ulong from, ulong to) =>
        _deleted.Count == 0 || from > to ? null : _deleted.GetViewBetween(from, to) is { Count: > 0 } view ? [.. view] : null;

    /// <summary>Removes a held message that is not the oldest; the oldest goes with <see cref="DiscardOldest"/>.</summary>
    public void Delete(ulong sequence)
    {
        _deleted.Add(sequence);
        SkipDeletedAtFront();
    }

    /// <summary>Gets a held message; check <see cref="Holds"/> first.</summary>
    public ref readonly StoredMessage this[ulong sequence]
    {
        get
        {
            var (segment, index) = Locate(sequence);
            return ref segment[index];
        }
    }

    /// <summary>Gets the segment and index of a held message's slot; check <see cref="Holds"/> first.</summary>
    public (StoredMessage[] Segment, int Index) Locate(ulong sequence)
    {
        var offset = sequence - _baseSequence;
        return (_segments[(int)(offset / SegmentSize)], (int)(offset % SegmentSize));
    }

    /// <summary>Stores the message under the next sequence, which it must carry.</summary>
    public void Append(in StoredMessage message)
    {
        var offset = _last + 1 - _baseSequence;
        if (offset / SegmentSize == (ulong)_segments.Count)
        {
            _segments.Add(new StoredMessage[SegmentSize]);
        }

        _segments[(int)(offset / SegmentSize)][(int)(offset % SegmentSize)] = message;
        Volatile.Write(ref _last, _last + 1);
    }

    /// <summary>Removes the oldest held message and returns it.</summary>
    public StoredMessage DiscardOldest()
    {
        var oldest = this[First];
        Advance();
        SkipDeletedAtFront();
        return oldest;
    }

    private void SkipDeletedAtFront()
    {
        while (_deleted.Count > 0 && _deleted.Min == First)
        {
            _deleted.Remove(First);
            Advance();
        }
    }

    private void Advance()
    {
        First++;
        if (First - _baseSequence >= SegmentSize)
        {
            _segments.RemoveAt(0);
            _baseSequence += SegmentSize;
        }
    }

    /// <summary>
    /// Up to <paramref name="max"/> held messages from <paramref name="from"/> on (older ones are gone), as views of at
    /// most two segments. The views stay valid after the lock is left: a slot is written once, before it is published.
    /// </summary>
    public (ArraySegment<StoredMessage> First, ArraySegment<StoredMessage> Second) Slice(ulong from, int max)
    {
        from = Math.Max(from, First);
        var count = (int)Math.Min((ulong)max, _last >= from ? _last - from + 1 : 0);
        if (count == 0)
        {
            return (ArraySegment<StoredMessage>.Empty, ArraySegment<StoredMessage>.Empty);
        }

        var offset = from - _baseSequence;
        var segment = (int)(offset / SegmentSize);
        var inSegment = (int)(offset % SegmentSize);
        var firstLength = Math.Min(count, SegmentSize - inSegment);
        var first = new ArraySegment<StoredMessage>(_segments[segment], inSegment, firstLength);
        return firstLength == count
            ? (first, ArraySegment<StoredMessage>.Empty)
            : (first, new ArraySegment<StoredMessage>(_segments[segment + 1], 0, count - firstLength));
    }

    /// <summary>
    /// The first held sequence whose <see cref="StoredMessage.GeneratedId"/> is at least <paramref name="id"/>, or one
    /// past <see cref="Last"/>: the stream keeps that field non-decreasing along the log, so a binary search finds it.
    /// </summary>
    public ulong LowerBound(UInt128 id)
    {
        ulong low = First, high = _last + 1;
        while (low < high)
        {
            var middle = low + ((high - low) / 2);
            if (this[middle].GeneratedId < id)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
