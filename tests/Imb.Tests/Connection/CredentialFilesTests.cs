using Imb.Connection;
using NATS.NKeys;

namespace Imb.Tests.Connection;

public sealed class CredentialFilesTests : IDisposable
{
    // A user seed made for these tests; the assertions below check it never reaches a message.
    private static readonly KeyPair User = KeyPair.CreatePair(PrefixByte.User);
    private readonly string _directory = Directory.CreateTempSubdirectory("imb-creds-").FullName;

    public static TheoryData<string, string> MalformedSeeds => new()
    {
        { "", "does not hold a valid NKey seed" },
        { "SU", "does not hold a valid NKey seed" },
        { "not base32 at all!", "does not hold a valid NKey seed" },
        // One character changed in the middle, where all five bits are data: the checksum no longer matches. (The last
        // character would not do: its low two bits are padding, so some changes leave the seed as it was.)
        { User.GetSeed()[..10] + (User.GetSeed()[10] == 'A' ? 'B' : 'A') + User.GetSeed()[11..], "does not hold a valid NKey seed" },
        { KeyPair.CreatePair(PrefixByte.Account).GetSeed(), "holds a seed of key type Account, not User" },
    };

    public static TheoryData<string, string> MalformedCreds => new()
    {
        { "", "has no user JWT" },
        { "-----BEGIN NATS USER JWT-----\n", "has no user JWT" },
        { "-----BEGIN NATS USER JWT-----\nabc.def\n", "not of the form header.claims.signature" },
        { "-----BEGIN NATS USER JWT-----\na.b.c\n------END NATS USER JWT------\n", "has no user seed" },
        { $"-----BEGIN NATS USER JWT-----\na.b.c\n-----BEGIN USER NKEY SEED-----\n{User.GetSeed()[..20]}\n", "does not hold a valid NKey seed" },
    };

    [Theory]
    [MemberData(nameof(MalformedSeeds))]
    public async Task ReadSeedFileAsync_MalformedSeed_ThrowsNamingFileAndKeyNeverTheContent(string content, string reason)
    {
        var file = Write("user.nk", content);

        var error = await Assert.ThrowsAsync<ImbException>(() => CredentialFiles.ReadSeedFileAsync(file, TestContext.Current.CancellationToken));

        Assert.StartsWith($"The file '{file}' (Imb:Credentials:NKeySeedFile) {reason}", error.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        Assert.Null(error.InnerException);
        AssertNothingOf(content, error);
    }

    [Theory]
    [MemberData(nameof(MalformedCreds))]
    public async Task ReadCredsFileAsync_MalformedFile_ThrowsNamingFileAndKeyNeverTheContent(string content, string reason)
    {
        var file = Write("user.creds", content);

        var error = await Assert.ThrowsAsync<ImbException>(() => CredentialFiles.ReadCredsFileAsync(file, TestContext.Current.CancellationToken));

        Assert.StartsWith($"The file '{file}' (Imb:Credentials:CredsFile) ", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        AssertNothingOf(User.GetSeed()[..20], error);
    }

    [Fact]
    public async Task ReadSeedFileAsync_UserSeedWithLineBreak_ReturnsSeedAndItsPublicKey()
    {
        var file = Write("user.nk", User.GetSeed() + "\n");

        var (seed, publicKey) = await CredentialFiles.ReadSeedFileAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal(User.GetSeed(), seed);
        Assert.Equal(User.GetPublicKey(), publicKey);
    }

    [Fact]
    public async Task ReadCredsFileAsync_FileAsNscWritesIt_ReturnsJwtAndSeed()
    {
        var file = Write("user.creds", $"""
            -----BEGIN NATS USER JWT-----
            aGVhZGVy.Y2xhaW1z.c2ln
            ------END NATS USER JWT------

            ************************* IMPORTANT *************************
            NKEY Seed printed below can be used to sign and prove identity.

            -----BEGIN USER NKEY SEED-----
            {User.GetSeed()}
            ------END USER NKEY SEED------
            """);

        var (jwt, seed) = await CredentialFiles.ReadCredsFileAsync(file, TestContext.Current.CancellationToken);

        Assert.Equal("aGVhZGVy.Y2xhaW1z.c2ln", jwt);
        Assert.Equal(User.GetSeed(), seed);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static void AssertNothingOf(string content, ImbException error)
    {
        if (content.Length > 4)
        {
            Assert.DoesNotContain(content.Trim(), error.ToString(), StringComparison.Ordinal);
        }
    }

    private string Write(string name, string content)
    {
        var file = Path.Combine(_directory, name);
        File.WriteAllText(file, content);
        return file;
    }
}
