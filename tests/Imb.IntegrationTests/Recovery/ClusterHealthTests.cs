using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Recovery;

/// <summary>The health check on a cluster: a replicated stream's leader and current replicas, Degraded while one is lost.</summary>
[Collection(Imb.IntegrationTests.Cluster.ClusterTests.Name)]
public sealed class ClusterHealthTests(NatsClusterFixture cluster) : IClassFixture<NatsClusterFixture>
{
    private const string Stream = "R3_HEALTH";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Health_FollowerOfAReplicatedStreamKilled_DegradedNamingItUntilItIsBackAndCurrent()
    {
        await using var host = ImbTestHost.CreateExternal(
            cluster.Nodes.Select(n => n.Url),
            imb: imb => imb.AddStream(Stream, s =>
            {
                s.Subjects.Add("r3health.>");
                s.Replicas = 3;
            }));
        await host.StartAsync();
        await Waiter.UntilAsync(async _ => (await HealthAsync(host)).Status == HealthStatus.Healthy, Waiter.Patience, "health with every replica current", Ct);
        var healthy = (await HealthAsync(host)).Entries["imb"];
        var leader = (string)healthy.Data[$"stream.{Stream}.leader"];
        var connectedTo = host.Get<ImbConnection>().Connection.ServerInfo!.Name;
        var follower = cluster.Nodes.First(n => n.Name != leader && n.Name != connectedTo);

        await follower.KillAsync();
        await Waiter.UntilAsync(async _ => (await HealthAsync(host)).Status == HealthStatus.Degraded, Waiter.Patience, "health to report the lost replica", Ct);
        var degraded = (await HealthAsync(host)).Entries["imb"];
        await follower.RestartAsync(Ct);
        await Waiter.UntilAsync(async _ => (await HealthAsync(host)).Status == HealthStatus.Healthy, Waiter.Patience, "health once the replica is current again", Ct);

        Assert.Equal("2/2", healthy.Data[$"stream.{Stream}.replicas_current"]);
        Assert.Equal("1/2", degraded.Data[$"stream.{Stream}.replicas_current"]);
        Assert.Contains($"stream {Stream}: replicas not current: {follower.Name}", degraded.Description, StringComparison.Ordinal);
        Assert.Equal("2/2", (await HealthAsync(host)).Entries["imb"].Data[$"stream.{Stream}.replicas_current"]);
    }

    private static Task<HealthReport> HealthAsync(ImbTestHost host) => host.Get<HealthCheckService>().CheckHealthAsync(Ct);
}
