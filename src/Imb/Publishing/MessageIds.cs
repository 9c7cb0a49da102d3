using System.Security.Cryptography;

namespace Imb.Publishing;

/// <summary>
/// Time-sortable message ids (ULID layout): 48 bits of Unix milliseconds, then 80 bits drawn at random once per
/// process and counted up per id, so ids are unique without a random-number call on the publish hot path.
/// </summary>
internal sealed class MessageIds(TimeProvider time)
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static readonly UInt128 RandomMask = (UInt128.One << 80) - 1;
    private readonly UInt128 _randomBase = Draw();
    private long _counter;

    public string New() => Encode(NewValue());

    /// <summary>A new id as its 128-bit value, for stores that keep millions of them without a string each.</summary>
    public UInt128 NewValue() => NewValue(time.GetUtcNow());

    /// <summary>A new id for a message stored at <paramref name="now"/> (a caller that already read the clock).</summary>
    public UInt128 NewValue(DateTimeOffset now)
    {
        var milliseconds = (UInt128)(ulong)now.ToUnixTimeMilliseconds();
        var random = (_randomBase + (ulong)Interlocked.Increment(ref _counter)) & RandomMask;
        return (milliseconds << 80) | random;
    }

    /// <summary>
    /// A new id greater than <paramref name="previous"/>, for a store that finds ids by binary search: the same as
    /// <see cref="NewValue()"/> unless the clock went back, in which case it keeps <paramref name="previous"/>'s
    /// millisecond (the counted part is still new, so the id is still unique).
    /// </summary>
    public UInt128 NewValueAfter(UInt128 previous, DateTimeOffset now)
    {
        var value = NewValue(now);
        if (value > previous)
        {
            return value;
        }

        value = (previous & ~RandomMask) | (value & RandomMask);
        return value > previous ? value : previous + 1;
    }

    /// <summary>The text form of an id from <see cref="NewValue()"/>.</summary>
    public static string Format(UInt128 value) => Encode(value);

    /// <summary>Reads an id in this generator's form (26 Crockford base-32 characters) back into its value.</summary>
    public static bool TryParse(string text, out UInt128 value)
    {
        value = 0;
        if (text.Length != 26 || text[0] > '7')
        {
            return false;
        }

        foreach (var c in text)
        {
            var digit = Alphabet.IndexOf(c, StringComparison.Ordinal);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 5) | (uint)digit;
        }

        return true;
    }

    /// <summary>
    /// Derives the id of a reaction from the id of its cause: the same inputs always give the same id, so a reaction
    /// to a redelivered cause is de-duplicated by the stream. A ULID cause lends its time, so reactions sort with it.
    /// </summary>
    public static string Derive(string causeId, string reaction)
    {
        var hash = SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(causeId + "\n" + reaction));
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(hash.AsSpan(8))) & RandomMask;
        if (causeId.Length == 26 && causeId.All(c => Alphabet.Contains(c, StringComparison.Ordinal)))
        {
            value |= Decode(causeId.AsSpan(0, 10)) << 80;
        }

        return Encode(value);
    }

    private static UInt128 Decode(ReadOnlySpan<char> chars)
    {
        UInt128 value = 0;
        foreach (var c in chars)
        {
            value = (value << 5) | (uint)Alphabet.IndexOf(c, StringComparison.Ordinal);
        }

        return value;
    }

    private static UInt128 Draw()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
    }

    private static string Encode(UInt128 value)
    {
        // 128 bits as 26 characters of 5 bits, most significant first (the top two bits of the first are zero).
        Span<char> chars = stackalloc char[26];
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
