using Imb.Testing;
using NATS.Client.Core;

namespace Imb.IntegrationTests.Server;

public sealed class NatsServerFixtureTests
{
    [Fact]
    public async Task Container_NoDockerEngine_FailsSayingWhyInsteadOfSkipping()
    {
        Assert.SkipWhen(NatsServerFixture.DockerEngineLikelyAvailable, "A Docker engine is present here, so the container starts; see the next test.");
        var fixture = new NatsServerFixture();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await fixture.StartAsync(NatsServerSource.Container));

        Assert.Contains("Docker engine", error.Message, StringComparison.Ordinal);
        Assert.Contains(NatsServerFixture.SourceVariable, error.Message, StringComparison.Ordinal);
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Container_DockerEngine_ServesJetStream()
    {
        Assert.SkipUnless(NatsServerFixture.DockerEngineLikelyAvailable, "No Docker engine runs on this machine (no DOCKER_HOST, no /var/run/docker.sock), so no container can start; the previous test checks the failure message instead.");
        var fixture = new NatsServerFixture();
        await fixture.StartAsync(NatsServerSource.Container);

        await using var connection = new NatsConnection(NatsOpts.Default with { Url = fixture.Url });
        await connection.ConnectAsync();

        Assert.True(connection.ServerInfo!.JetStreamAvailable);
        await fixture.DisposeAsync();
    }

    [Fact]
    public async Task Process_NewName_IsUniquePerCall()
    {
        var fixture = new NatsServerFixture();
        await fixture.StartAsync(NatsServerSource.Process);

        var names = Enumerable.Range(0, 100).Select(_ => fixture.NewName("orders")).ToHashSet();

        Assert.Equal(100, names.Count);
        Assert.All(names, n => Assert.StartsWith("orders_", n, StringComparison.Ordinal));
        Assert.Equal(NatsServerSource.Process, fixture.Source);
        Assert.True(fixture.Node.IsRunning);
        await fixture.DisposeAsync();
        Assert.False(fixture.Node.IsRunning);
    }
}
