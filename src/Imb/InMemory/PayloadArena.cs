namespace Imb.InMemory;

/// <summary>
/// Copies payloads into shared 1 MiB chunks, so a stored message costs no array of its own; a chunk is freed once
/// no stored message refers to it. Large payloads get their own array. Not thread-safe: the stream's lock guards it.
/// </summary>
internal sealed class PayloadArena
{
    private const int ChunkSize = 1 << 20;
    private const int LargePayload = 64 * 1024;
    private byte[] _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
    private int _used;

    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> payload)
    {
        if (payload.Length >= LargePayload)
        {
            return payload.ToArray();
        }

        if (_used + payload.Length > ChunkSize)
        {
            // Not zeroed: every byte handed out is written first.
            _chunk = GC.AllocateUninitializedArray<byte>(ChunkSize);
            _used = 0;
        }

        var slice = _chunk.AsMemory(_used, payload.Length);
        payload.CopyTo(slice.Span);
        _used += payload.Length;
        return slice;
    }
}
