using NATS.NKeys;

namespace Imb.Tests.NKeys;

public sealed class KeyPairTests
{
    // Published pairs: NATS documentation (nk tool), nkeys.net README (an operator key), and a third-party user key.
    [Theory]
    [InlineData("SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY", "UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4")]
    [InlineData("SOAELH6NJCEK4HST5644G4HK7TOAFZGRRJHNM4EUKUY7PPNDLIKO5IH4JM", "ODPWIBQJVIQ42462QAFI2RKJC4RZHCQSIVPRDDHWFCJAP52NRZK6Z2YC")]
    [InlineData("SUACLFDTUS353H4ITLDAFQWYA43IAP2L7LGZ5XDEEARMJ4KNPHUWDKDUFQ", "UCBWG2NENI2VLZRMXKAQOZVKVVPA5GBUY2G7KGEDJRDWFSQ5VV3P7VYD")]
    public void FromSeed_PublishedSeed_GivesPublishedPublicKey(string seed, string publicKey)
    {
        var pair = KeyPair.FromSeed(seed);

        Assert.Equal(publicKey, pair.GetPublicKey());
        Assert.Equal(seed, pair.GetSeed());
    }

    [Fact]
    public void CreatePair_RoundTripsThroughSeed()
    {
        var created = KeyPair.CreatePair(PrefixByte.User);

        var restored = KeyPair.FromSeed(created.GetSeed());

        Assert.StartsWith("SU", created.GetSeed(), StringComparison.Ordinal);
        Assert.StartsWith("U", created.GetPublicKey(), StringComparison.Ordinal);
        Assert.Equal(created.GetPublicKey(), restored.GetPublicKey());
    }

    [Fact]
    public void Sign_ProducesSignatureThePublicKeyVerifies()
    {
        var pair = KeyPair.FromSeed("SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3VY");
        var verifier = KeyPair.FromPublicKey(pair.GetPublicKey());
        var nonce = "nonce-from-server"u8.ToArray();
        var signature = new byte[64];

        pair.Sign(nonce, signature);

        Assert.True(verifier.Verify(nonce, signature));
        Assert.False(verifier.Verify("another-nonce"u8.ToArray(), signature));
    }

    [Theory]
    [InlineData("SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYDU3VY", "checksum")] // one character mistyped
    [InlineData("SUACSSL3UAHUDXKFSNVUZRF5UHPMWZ6BFDTJ7M6USDXIEDNPPQYYYCU3", "checksum")] // truncated
    [InlineData("UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4", "not an NKey seed")] // a public key
    [InlineData("suacssl3uahudxkfsnvuzrf5uhpmwz6bfdtj7m6usdxiednppqyyycu3vy", "base32")]
    [InlineData("", "too short")]
    public void FromSeed_MalformedSeed_ThrowsFormatExceptionSayingWhy(string seed, string reason)
    {
        var error = Assert.Throws<FormatException>(() => KeyPair.FromSeed(seed));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sign_PublicKeyOnly_Throws()
    {
        var verifier = KeyPair.FromPublicKey("UDXU4RCSJNZOIQHZNWXHXORDPRTGNJAHAHFRGZNEEJCPQTT2M7NLCNF4");

        Assert.Throws<InvalidOperationException>(() => verifier.Sign(new byte[4], new byte[64]));
    }

    [Fact]
    public void Sign_AfterDispose_Throws()
    {
        var pair = KeyPair.CreatePair(PrefixByte.User);

        pair.Dispose();

        Assert.Throws<ObjectDisposedException>(() => pair.Sign(new byte[4], new byte[64]));
    }
}
