using Imb.Testing;
using Imb.Tests;
using NATS.NKeys;

namespace Imb.IntegrationTests.Connection;

public sealed class ExternalConnectionTests(NatsServerFixture nats)
{
    // Made anew for each test (xUnit creates the class per test): operator, account and user keys of its own.
    private readonly DecentralisedAuth _auth = new();

    [Fact]
    public async Task StartAsync_ExternalServer_ConnectsAndReadsTheServerVersion()
    {
        await using var host = ImbTestHost.Create(o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(nats.Url);
        });

        await host.StartAsync();

        var info = host.Get<IImbServerInfo>();
        Assert.True(info.IsConnected);
        Assert.True(info.ServerVersion >= new Version(2, 9, 0), $"server version {info.ServerVersion}");
        Assert.Single(host.LogsWithEventId(202));
    }

    [Fact]
    public async Task StartAsync_NoServerListening_FailsAfterTheBudgetNamingTheServerWithoutItsPassword()
    {
        var port = Ports.Closed();
        await using var host = ImbTestHost.Create(o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add($"nats://alice:hunter2@127.0.0.1:{port}");
            o.StartupConnectTimeout = TimeSpan.FromSeconds(1);
            o.ConnectTimeout = TimeSpan.FromMilliseconds(200);
        });

        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains($"nats://127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
        Assert.Contains("Imb:StartupConnectTimeout", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
        Assert.NotEmpty(host.LogsWithEventId(201));
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains("hunter2", StringComparison.Ordinal));
    }

    public static TheoryData<string> Kinds => ["user-password", "token", "nkey", "creds", "tls"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StartAsync_RightCredential_Connects(string kind)
    {
        await using var server = await StartSecuredServerAsync(kind);
        await using var host = ImbTestHost.Create(o => Configure(o, server.Url, kind, right: true));

        await host.StartAsync();

        Assert.True(host.Get<IImbServerInfo>().IsConnected);
        // JetStream works under the credential too: the default topology was provisioned, a publish is stored.
        var ack = await host.Get<IMessageBus>().PublishAsync("system.raftv1.connection", "{}"u8.ToArray(), cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal("SYSTEM", ack.Stream);
    }

    public static TheoryData<string, string, string> MalformedFiles => new()
    {
        { "nkey", "SUNOTAVALIDSEED", "does not hold a valid NKey seed" },
        { "creds", "-----BEGIN NATS USER JWT-----\nnot-a-jwt\n------END NATS USER JWT------\n", "not of the form header.claims.signature" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public async Task StartAsync_MalformedCredentialFile_FailsNamingTheFileNeverItsContent(string kind, string content, string reason)
    {
        var file = Path.Combine(nats.Directory, nats.NewName(kind) + ".txt");
        await File.WriteAllTextAsync(file, content, TestContext.Current.CancellationToken);
        await using var host = ImbTestHost.Create(o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(nats.Url);
            o.Credentials.NKeySeedFile = kind == "nkey" ? file : null;
            o.Credentials.CredsFile = kind == "creds" ? file : null;
        });

        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains($"'{file}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.Equal(ImbErrorKind.Invalid, error.Kind);
        var secret = content.Contains("JWT", StringComparison.Ordinal) ? "not-a-jwt" : content;
        Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(secret, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task StartAsync_WrongCredential_FailsNamingTheServerWithoutTheSecret(string kind)
    {
        await using var server = await StartSecuredServerAsync(kind);
        string? secret = null;
        await using var host = ImbTestHost.Create(o => secret = Configure(o, server.Url, kind, right: false));

        var error = await Assert.ThrowsAsync<ImbException>(host.StartAsync);

        Assert.Contains(server.Url, error.Message, StringComparison.Ordinal);
        if (secret is not null)
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(host.Logs.GetSnapshot(), r => r.Message.Contains(secret, StringComparison.Ordinal));
        }
    }

    private async Task<NatsNode> StartSecuredServerAsync(string kind)
    {
        var file = kind switch
        {
            "user-password" => "users.conf",
            "token" => "token.conf",
            "nkey" => "nkey.conf",
            "creds" => null,
            _ => "tls.conf",
        };
        var directory = Path.Combine(nats.Directory, nats.NewName(kind));
        var config = file is null
            ? _auth.ServerConfig()
            : $"include \"{Path.GetRelativePath(directory, Path.Combine(RepositoryPaths.Auth, file))}\"";
        return await NatsNode.StartAsync(
            kind, directory, extraConfig: config, workingDirectory: RepositoryPaths.Auth,
            cancellationToken: TestContext.Current.CancellationToken);
    }

    /// <summary>Sets the right or a wrong credential of the kind; returns the wrong secret, which must never be shown.</summary>
    private string? Configure(ImbOptions options, string url, string kind, bool right)
    {
        options.Mode = ImbMode.External;
        options.Servers.Add(url);
        options.StartupConnectTimeout = TimeSpan.FromSeconds(2);
        var certs = Path.Combine(RepositoryPaths.Auth, "certs");
        switch (kind)
        {
            case "user-password":
                options.Credentials.User = "imb-owner";
                options.Credentials.Password = right ? "owner-test-password" : "wrong-password-4d2c";
                return options.Credentials.Password;
            case "token":
                options.Credentials.Token = right ? "imb-test-token-7f3a9c" : "wrong-token-8e1b";
                return options.Credentials.Token;
            case "nkey":
                var seed = right ? null : KeyPair.CreatePair(PrefixByte.User).GetSeed();
                var file = Path.Combine(nats.Directory, nats.NewName("seed") + ".nk");
                File.WriteAllText(file, seed ?? File.ReadAllText(Path.Combine(RepositoryPaths.Auth, "test-user.nk")));
                options.Credentials.NKeySeedFile = file;
                return seed;
            case "creds":
                // The wrong one is a JWT issued by an account the server does not know, with a seed to match it.
                var creds = Path.Combine(nats.Directory, nats.NewName("user") + ".creds");
                File.WriteAllText(creds, _auth.CredsFile(signedByAccount: right));
                options.Credentials.CredsFile = creds;
                return _auth.UserSeed;
            default:
                options.Tls.CaFile = Path.Combine(certs, "ca.pem");
                if (right)
                {
                    // The server verifies clients: without this certificate the handshake fails.
                    options.Tls.CertFile = Path.Combine(certs, "client-cert.pem");
                    options.Tls.KeyFile = Path.Combine(certs, "client-key.pem");
                }

                return null;
        }
    }
}
