using NATS.Client.Core;

namespace Imb.InMemory;

/// <summary>One message an in-memory stream holds.</summary>
internal sealed record StoredMessage(ulong Sequence, string Subject, ReadOnlyMemory<byte> Data, NatsHeaders? Headers, string MessageId, DateTimeOffset Timestamp);
