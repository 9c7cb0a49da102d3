using System.Buffers.Binary;

namespace NATS.NKeys;

/// <summary>Encodes and decodes the NKey text forms: prefix byte(s), raw key, CRC16 (little-endian), base32.</summary>
internal static class KeyCodec
{
    private const int RawKeyLength = 32;

    public static string EncodePublicKey(PrefixByte prefix, ReadOnlySpan<byte> publicKey)
    {
        Span<byte> raw = stackalloc byte[1 + RawKeyLength + 2];
        raw[0] = (byte)prefix;
        publicKey.CopyTo(raw[1..]);
        return WithChecksum(raw);
    }

    public static string EncodeSeed(PrefixByte prefix, ReadOnlySpan<byte> seed)
    {
        // Two prefix bytes: 'S' in the top five bits, then the public role spread over the remaining ten.
        Span<byte> raw = stackalloc byte[2 + RawKeyLength + 2];
        raw[0] = (byte)((byte)PrefixByte.Seed | ((byte)prefix >> 5));
        raw[1] = (byte)(((byte)prefix & 31) << 3);
        seed.CopyTo(raw[2..]);
        return WithChecksum(raw);
    }

    public static (PrefixByte Prefix, byte[] Seed) DecodeSeed(ReadOnlySpan<char> text)
    {
        var raw = DecodeChecked(text.Trim());
        if (raw.Length != 2 + RawKeyLength || (raw[0] & 0xF8) != (byte)PrefixByte.Seed)
        {
            throw new FormatException("The text is not an NKey seed (it must start with 'S').");
        }

        var prefix = (PrefixByte)(((raw[0] & 7) << 5) | ((raw[1] & 0xF8) >> 3));
        if (prefix is not (PrefixByte.Account or PrefixByte.Cluster or PrefixByte.Server or PrefixByte.Operator or PrefixByte.User))
        {
            throw new FormatException("The NKey seed names an unknown key role.");
        }

        return (prefix, raw[2..]);
    }

    public static (PrefixByte Prefix, byte[] Key) DecodePublicKey(ReadOnlySpan<char> text)
    {
        var raw = DecodeChecked(text.Trim());
        if (raw.Length != 1 + RawKeyLength)
        {
            throw new FormatException("The text is not an NKey public key.");
        }

        return ((PrefixByte)raw[0], raw[1..]);
    }

    private static string WithChecksum(Span<byte> raw)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(raw[^2..], Crc16.Compute(raw[..^2]));
        return Base32.Encode(raw);
    }

    private static byte[] DecodeChecked(ReadOnlySpan<char> text)
    {
        var raw = Base32.Decode(text);
        if (raw.Length < 3)
        {
            throw new FormatException("The NKey is too short.");
        }

        var expected = BinaryPrimitives.ReadUInt16LittleEndian(raw.AsSpan(raw.Length - 2));
        if (Crc16.Compute(raw.AsSpan(0, raw.Length - 2)) != expected)
        {
            throw new FormatException("The NKey checksum does not match: the key is mistyped or truncated.");
        }

        return raw[..^2];
    }
}
