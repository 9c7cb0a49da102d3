namespace Imb.InMemory;

/// <summary>A stored message handed to a subscriber, and how many times it has been delivered, this time included.</summary>
/// <remarks>
/// It points at the message's slot in the stream's log instead of copying it: a batch of deliveries is then 16 bytes
/// a message, not 88 with four references for the GC's write barrier. A slot is written once and never changed, and
/// the segment stays alive through this reference even after the stream discards it.
/// </remarks>
internal readonly struct Delivery(StoredMessage[] segment, int index, int count)
{
    private readonly StoredMessage[] _segment = segment;
    private readonly int _index = index;

    public ref readonly StoredMessage Message => ref _segment[_index];

    public int Count { get; } = count;
}
