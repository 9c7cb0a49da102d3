using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>One message an in-memory stream holds; a struct, so a stream of millions is not millions of objects for the GC.</summary>
/// <remarks>
/// An id Imb generated is kept as its value (<see cref="GeneratedId"/>) and formatted only when asked for; a caller's id
/// as text, and then <see cref="GeneratedId"/> repeats the stream's last generated id, so the field never decreases
/// along the stream and a generated id is found by binary search (<see cref="MessageLog.LowerBound"/>).
/// Every message costs a slot of this size in fresh memory, so it is kept small: the id as two halves (a UInt128 field
/// would align the struct to 16 bytes) and the time as ticks, 72 bytes in all instead of 80.
/// </remarks>
internal readonly struct StoredMessage(ulong sequence, string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? callerId, UInt128 generatedId, DateTimeOffset timestamp)
{
    private readonly ulong _generatedHigh = (ulong)(generatedId >> 64);
    private readonly ulong _generatedLow = (ulong)generatedId;
    private readonly long _timestampTicks = timestamp.UtcTicks;

    public ulong Sequence { get; } = sequence;

    public string Subject { get; } = subject;

    public ReadOnlyMemory<byte> Data { get; } = data;

    public NatsHeaders? Headers { get; } = headers;

    public string? CallerId { get; } = callerId;

    public UInt128 GeneratedId => new(_generatedHigh, _generatedLow);

    /// <summary>Gets when the stream stored the message, in UTC.</summary>
    public DateTimeOffset Timestamp => new(_timestampTicks, TimeSpan.Zero);

    public string MessageId => CallerId ?? Publishing.MessageIds.Format(GeneratedId);
}
