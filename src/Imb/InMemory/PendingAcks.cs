namespace Imb.InMemory;

/// <summary>
/// The acks a subscriber's worker holds back while it goes through a batch, sent in one call: one pass through the
/// consumer's lock a batch instead of one a message. As on NATS, where an ack goes out without waiting for the server,
/// the consumer's counts lag a handled message by a moment; the worker sends them before it waits for anything.
/// </summary>
internal sealed class PendingAcks(InMemoryConsumer consumer, int capacity)
{
    private readonly ulong[] _sequences = new ulong[capacity];
    private int _count;

    public void Add(ulong sequence) => _sequences[_count++] = sequence;

    public void Send()
    {
        if (_count > 0)
        {
            consumer.Ack(_sequences.AsSpan(0, _count));
            _count = 0;
        }
    }
}
