using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>One message an in-memory stream holds; a struct, so a stream of millions is not millions of objects for the GC.</summary>
/// <remarks>
/// An id Imb generated is kept as its value (<paramref name="GeneratedId"/>) and formatted only when asked for; a
/// caller's id as text, and then <paramref name="GeneratedId"/> repeats the stream's last generated id, so the field
/// never decreases along the stream and a generated id is found by binary search (<see cref="MessageLog.LowerBound"/>).
/// </remarks>
internal readonly record struct StoredMessage(ulong Sequence, string Subject, ReadOnlyMemory<byte> Data, NatsHeaders? Headers, string? CallerId, UInt128 GeneratedId, DateTimeOffset Timestamp)
{
    public string MessageId => CallerId ?? Publishing.MessageIds.Format(GeneratedId);
}
