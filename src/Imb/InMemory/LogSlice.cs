namespace Imb.InMemory;

/// <summary>Held messages read from a stream in place: at most two segments' views, and the sequences in them that were deleted meanwhile.</summary>
/// <param name="First">The first view.</param>
/// <param name="Second">The second view (empty unless the read crossed a segment).</param>
/// <param name="Deleted">Sequences within the views removed from the middle of the stream, ascending; null when there are none.</param>
internal readonly record struct LogSlice(ArraySegment<StoredMessage> First, ArraySegment<StoredMessage> Second, ulong[]? Deleted);
