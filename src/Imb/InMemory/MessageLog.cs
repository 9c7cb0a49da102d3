namespace Imb.InMemory;

/// <summary>
/// The messages an in-memory stream holds, by sequence, in fixed-size segments: a long stream never grows (and
/// copies) one huge array, and the first segment goes once every message in it is discarded. Not thread-safe: the
/// stream's lock guards it.
/// </summary>
internal sealed class MessageLog
{
    private const int SegmentSize = 8192;
    private readonly List<StoredMessage[]> _segments = [];
    private ulong _baseSequence = 1;

    /// <summary>Gets the sequence of the oldest message held (one past <see cref="Last"/> when empty).</summary>
    public ulong First { get; private set; } = 1;

    /// <summary>Gets the sequence of the newest message ever appended; 0 before the first.</summary>
    public ulong Last { get; private set; }

    public ulong Count => Last + 1 - First;

    public bool Holds(ulong sequence) => sequence >= First && sequence <= Last;

    /// <summary>Gets a held message; check <see cref="Holds"/> first.</summary>
    public ref readonly StoredMessage this[ulong sequence]
    {
        get
        {
            var offset = sequence - _baseSequence;
            return ref _segments[(int)(offset / SegmentSize)][(int)(offset % SegmentSize)];
        }
    }

    /// <summary>Stores the message under the next sequence, which it must carry.</summary>
    public void Append(in StoredMessage message)
    {
        var offset = ++Last - _baseSequence;
        if (offset / SegmentSize == (ulong)_segments.Count)
        {
            _segments.Add(new StoredMessage[SegmentSize]);
        }

        _segments[(int)(offset / SegmentSize)][(int)(offset % SegmentSize)] = message;
    }

    /// <summary>Removes the oldest message and returns it.</summary>
    public StoredMessage DiscardOldest()
    {
        var oldest = this[First];
        First++;
        if (First - _baseSequence >= SegmentSize)
        {
            _segments.RemoveAt(0);
            _baseSequence += SegmentSize;
        }

        return oldest;
    }

    /// <summary>Copies held messages from <paramref name="from"/> on, as many as fit; returns how many.</summary>
    public int CopyTo(ulong from, Span<StoredMessage> destination)
    {
        from = Math.Max(from, First);
        var copied = 0;
        while (copied < destination.Length && from <= Last)
        {
            var offset = from - _baseSequence;
            var inSegment = (int)(offset % SegmentSize);
            var length = (int)Math.Min((ulong)Math.Min(destination.Length - copied, SegmentSize - inSegment), Last - from + 1);
            _segments[(int)(offset / SegmentSize)].AsSpan(inSegment, length).CopyTo(destination[copied..]);
            copied += length;
            from += (ulong)length;
        }

        return copied;
    }

    /// <summary>
    /// The first held sequence whose <see cref="StoredMessage.GeneratedId"/> is at least <paramref name="id"/>, or one
    /// past <see cref="Last"/>: the stream keeps that field non-decreasing along the log, so a binary search finds it.
    /// </summary>
    public ulong LowerBound(UInt128 id)
    {
        ulong low = First, high = Last + 1;
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
