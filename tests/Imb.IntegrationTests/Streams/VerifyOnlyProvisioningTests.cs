using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Streams;

public sealed class VerifyOnlyProvisioningTests(NatsServerFixture nats)
{
    [Fact]
    public async Task VerifyOnly_UserWhoCannotCreateStreams_StartsWhenTheyExistAndFailsFastWhenOneIsMissing()
    {
        var directory = Path.Combine(nats.Directory, nats.NewName("verify"));
        var include = $"include \"{Path.GetRelativePath(directory, Path.Combine(RepositoryPaths.Auth, "users.conf"))}\"";
        await using var server = await NatsNode.StartAsync("verify", directory, extraConfig: include, cancellationToken: TestContext.Current.CancellationToken);

        await using (var owner = Host(server.Url, "imb-owner", "owner-test-password", ProvisioningMode.CreateOrUpdate))
        {
            await owner.StartAsync();
        }

        await using var user = Host(server.Url, "imb-user", "user-test-password", ProvisioningMode.VerifyOnly);
        await user.StartAsync();
        Assert.Equal(3, user.LogsWithEventId(305).Count);

        await using var missing = Host(server.Url, "imb-user", "user-test-password", ProvisioningMode.VerifyOnly, imb => imb.AddStream("MISSING", s => s.Subjects.Add("missing.>")));
        var error = await Assert.ThrowsAsync<ImbException>(missing.StartAsync);

        // At once, not after a timeout: the server's answer that the stream is missing (a timeout would be Kind Timeout).
        Assert.Equal(ImbErrorKind.NoStream, error.Kind);
        Assert.Contains("Stream MISSING does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("VerifyOnly", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("user-test-password", error.Message, StringComparison.Ordinal);

        // The premise: this user may not create streams, so CreateOrUpdate fails, and the message says why.
        await using var creator = Host(server.Url, "imb-user", "user-test-password", ProvisioningMode.CreateOrUpdate, imb => imb.AddStream("MISSING", s => s.Subjects.Add("missing.>")));
        var denied = await Assert.ThrowsAsync<ImbException>(creator.StartAsync);
        Assert.Contains("stream MISSING", denied.Message, StringComparison.Ordinal);
        Assert.Contains("VerifyOnly", denied.Message, StringComparison.Ordinal);
    }

    private static ImbTestHost Host(string url, string user, string password, ProvisioningMode mode, Action<IImbBuilder>? imb = null) => ImbTestHost.Create(
        o =>
        {
            o.Mode = ImbMode.External;
            o.Servers.Add(url);
            o.Credentials.User = user;
            o.Credentials.Password = password;
            o.Provisioning = mode;
        },
        builder =>
        {
            // The whole default topology, events stream included: three streams to verify.
            builder.AddEvents();
            imb?.Invoke(builder);
        });
}
