using System.Buffers;
using System.Text;

namespace Imb.Connection;

/// <summary>
/// The encoding of header names and values on Imb's connections: UTF-8 (what other NATS clients write), except that
/// a byte that is not part of valid UTF-8 decodes to the lone surrogate U+DC80–U+DCFF and encodes back to that byte
/// (the "surrogateescape" of Python's file names). Any header block therefore decodes and encodes back byte for byte,
/// which a dead letter needs; NATS.Net's default, ASCII, turns every byte above 0x7F into '?'.
/// </summary>
internal sealed class LosslessUtf8Encoding : Encoding
{
    private const char EscapeBase = '\uDC00';
    private static readonly byte[] Replacement = [0xEF, 0xBF, 0xBD];

    private LosslessUtf8Encoding()
    {
    }

    public static LosslessUtf8Encoding Instance { get; } = new();

    public override string WebName => "utf-8";

    public override int GetMaxByteCount(int charCount) => (charCount + 1) * 3;

    // A byte becomes at most one char: an escape, or its share of a valid sequence (four bytes make two chars).
    public override int GetMaxCharCount(int byteCount) => byteCount + 1;

    public override int GetByteCount(char[] chars, int index, int count) => GetByteCount(chars.AsSpan(index, count));

    public override int GetByteCount(ReadOnlySpan<char> chars) => Encode(chars, [], countOnly: true);

    public override int GetBytes(char[] chars, int charIndex, int charCount, byte[] bytes, int byteIndex) =>
        GetBytes(chars.AsSpan(charIndex, charCount), bytes.AsSpan(byteIndex));

    public override int GetBytes(ReadOnlySpan<char> chars, Span<byte> bytes) => Encode(chars, bytes, countOnly: false);

    public override int GetCharCount(byte[] bytes, int index, int count) => GetCharCount(bytes.AsSpan(index, count));

    public override int GetCharCount(ReadOnlySpan<byte> bytes) => Decode(bytes, [], countOnly: true);

    public override int GetChars(byte[] bytes, int byteIndex, int byteCount, char[] chars, int charIndex) =>
        GetChars(bytes.AsSpan(byteIndex, byteCount), chars.AsSpan(charIndex));

    public override int GetChars(ReadOnlySpan<byte> bytes, Span<char> chars) => Decode(bytes, chars, countOnly: false);

    // The pointer overloads are what GetString(ReadOnlySpan<byte>) and the span GetBytes of the base class end in; their
    // base versions copy through arrays, an allocation per header value on every message.
    public override unsafe int GetByteCount(char* chars, int count) => Encode(new ReadOnlySpan<char>(chars, count), [], countOnly: true);

    public override unsafe int GetBytes(char* chars, int charCount, byte* bytes, int byteCount) =>
        Encode(new ReadOnlySpan<char>(chars, charCount), new Span<byte>(bytes, byteCount), countOnly: false);

    public override unsafe int GetCharCount(byte* bytes, int count) => Decode(new ReadOnlySpan<byte>(bytes, count), [], countOnly: true);

    public override unsafe int GetChars(byte* bytes, int byteCount, char* chars, int charCount) =>
        Decode(new ReadOnlySpan<byte>(bytes, byteCount), new Span<char>(chars, charCount), countOnly: false);

    public override string GetString(byte[] bytes, int index, int count) => GetString(bytes.AsSpan(index, count));

    /// <summary>Encodes into <paramref name="bytes"/>, or only counts.</summary>
    private static int Encode(ReadOnlySpan<char> chars, Span<byte> bytes, bool countOnly)
    {
        if (Ascii.IsValid(chars))
        {
            return countOnly ? chars.Length : Ascii.FromUtf16(chars, bytes, out var written) == OperationStatus.Done ? written : throw TooSmall();
        }

        var total = 0;
        Span<byte> one = stackalloc byte[4];
        while (!chars.IsEmpty)
        {
            int length;
            if (Rune.DecodeFromUtf16(chars, out var rune, out var consumed) == OperationStatus.Done)
            {
                length = rune.EncodeToUtf8(one);
            }
            else
            {
                var c = chars[0];
                consumed = 1;
                if (c is >= (char)(EscapeBase + 0x80) and <= (char)(EscapeBase + 0xFF))
                {
                    one[0] = (byte)(c - EscapeBase);
                    length = 1;
                }
                else
                {
                    // A lone surrogate no decoding produced: what any UTF-8 encoder writes for it.
                    Replacement.CopyTo(one);
                    length = Replacement.Length;
                }
            }

            if (!countOnly)
            {
                if (!one[..length].TryCopyTo(bytes[total..]))
                {
                    throw TooSmall();
                }
            }

            total += length;
            chars = chars[consumed..];
        }

        return total;
    }

    /// <summary>Decodes into <paramref name="chars"/>, or only counts.</summary>
    private static int Decode(ReadOnlySpan<byte> bytes, Span<char> chars, bool countOnly)
    {
        if (Ascii.IsValid(bytes))
        {
            return countOnly ? bytes.Length : Ascii.ToUtf16(bytes, chars, out var written) == OperationStatus.Done ? written : throw TooSmall();
        }

        var total = 0;
        Span<char> one = stackalloc char[2];
        while (!bytes.IsEmpty)
        {
            int length;
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == OperationStatus.Done)
            {
                length = rune.EncodeToUtf16(one);
            }
            else
            {
                // One byte at a time: what follows an invalid byte may start a valid sequence.
                one[0] = (char)(EscapeBase + bytes[0]);
                consumed = 1;
                length = 1;
            }

            if (!countOnly)
            {
                if (!one[..length].TryCopyTo(chars[total..]))
                {
                    throw TooSmall();
                }
            }

            total += length;
            bytes = bytes[consumed..];
        }

        return total;
    }

    private static ArgumentException TooSmall() => new("The destination is too small for the encoded text.");
}
