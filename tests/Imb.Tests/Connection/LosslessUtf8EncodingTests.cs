using System.Text;
using Imb.Connection;

namespace Imb.Tests.Connection;

public sealed class LosslessUtf8EncodingTests
{
    private static readonly Encoding Lossless = LosslessUtf8Encoding.Instance;

    public static TheoryData<string, byte[]> Text => new()
    {
        { "plain ascii", "plain ascii"u8.ToArray() },
        { "héllo wörld", "héllo wörld"u8.ToArray() },
        { "日本語 😀", "日本語 😀"u8.ToArray() },
        { string.Empty, [] },
    };

    [Theory]
    [MemberData(nameof(Text))]
    public void Utf8Text_EncodesAndDecodesAsUtf8(string text, byte[] utf8)
    {
        Assert.Equal(utf8, Lossless.GetBytes(text));
        Assert.Equal(text, Lossless.GetString(utf8));
        Assert.Equal(utf8.Length, Lossless.GetByteCount(text));
    }

    public static TheoryData<byte[]> NotUtf8 => new()
    {
        new byte[] { 0x68, 0xE9, 0x6C, 0x6C, 0x6F },               // "héllo" in Latin-1
        new byte[] { 0x80, 0x81, 0xFE, 0xFF },                     // bytes no UTF-8 sequence starts with
        new byte[] { 0xC3 },                                        // a sequence cut short at the end
        new byte[] { 0xE2, 0x82, 0x41 },                            // a sequence cut short by ASCII
        new byte[] { 0xED, 0xB2, 0x80 },                            // an encoded surrogate, which UTF-8 forbids
        new byte[] { 0xF0, 0x9F, 0x98, 0x80, 0xFF, 0xC3, 0xA9 },   // valid, invalid, valid
    };

    [Theory]
    [MemberData(nameof(NotUtf8))]
    public void BytesThatAreNotUtf8_DecodeAndEncodeBackByteForByte(byte[] bytes)
    {
        var text = Lossless.GetString(bytes);

        Assert.Equal(bytes, Lossless.GetBytes(text));
        Assert.Equal(bytes.Length, Lossless.GetByteCount(text));
        Assert.Contains(text, c => c is >= '\uDC80' and <= '\uDCFF');
    }

    [Fact]
    public void RandomBytes_AllRoundTripByteForByte()
    {
        var random = new Random(17);
        for (var i = 0; i < 2000; i++)
        {
            var bytes = new byte[random.Next(0, 64)];
            random.NextBytes(bytes);

            Assert.Equal(bytes, Lossless.GetBytes(Lossless.GetString(bytes)));
        }
    }

    [Fact]
    public void LoneSurrogateNoDecodingProduced_EncodesAsTheReplacementCharacter()
    {
        Assert.Equal("a\uFFFDb"u8.ToArray(), Lossless.GetBytes("a\uD800b"));
        Assert.Equal("\uFFFD"u8.ToArray(), Lossless.GetBytes("\uDC41"));
    }

    [Fact]
    public void GetBytes_DestinationTooSmall_Throws()
    {
        var destination = new byte[3];

        Assert.Throws<ArgumentException>(() => Lossless.GetBytes("héllo".AsSpan(), destination));
        Assert.Throws<ArgumentException>(() => Lossless.GetBytes("hello".AsSpan(), destination));
    }
}
