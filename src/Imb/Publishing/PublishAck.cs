namespace Imb;

/// <summary>The stream's acknowledgement of a stored message; a value, so that publishing in memory allocates none.</summary>
/// <param name="Stream">The stream that stored it.</param>
/// <param name="Sequence">Its sequence in the stream.</param>
/// <param name="Duplicate">Whether the stream had already stored a message with this id (within its duplicate window): stored once, not twice.</param>
public readonly record struct PublishAck(string Stream, ulong Sequence, bool Duplicate);
