using Imb.Connection;
using Imb.IntegrationTests.Recovery;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Cluster;

/// <summary>Provisioning on the three-node cluster: placement by tag and by cluster, and drift detection that scales a stream.</summary>
[Collection(ClusterTests.Name)]
public sealed class ClusterProvisioningTests(NatsClusterFixture cluster) : IClassFixture<NatsClusterFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StartAsync_PlacementByTag_PutsTheStreamOnTheTaggedNodeAndReadsBackWithoutDrift()
    {
        var node = cluster.Nodes[1];
        void Declare(StreamOptions s)
        {
            s.Subjects.Add("placed.tag.>");
            s.Placement = new StreamPlacementOptions { Tags = { NatsClusterFixture.TagOf(node) } };
        }

        await using (var first = Host(imb => imb.AddStream("PLACED_TAG", Declare)))
        {
            await first.StartAsync();
            var info = await ClusterRequest.AnsweredAsync(ct => first.Get<IImbTopology>().GetStreamAsync("PLACED_TAG", ct).AsTask(), Ct);
            Assert.Equal(node.Name, info.Leader);
        }

        await using var second = Host(imb => imb.AddStream("PLACED_TAG", Declare));
        await second.StartAsync();
        Assert.Empty(second.LogsWithEventId(303));
        Assert.Single(second.LogsWithEventId(301));
    }

    [Fact]
    public async Task StartAsync_PlacementInThisClusterAtR3_CreatedAndInAnotherCluster_FailsNamingTheStream()
    {
        await using var here = Host(imb => imb.AddStream("PLACED_HERE", s =>
        {
            s.Subjects.Add("placed.here.>");
            s.Replicas = 3;
            s.Placement = new StreamPlacementOptions { Cluster = cluster.ClusterName };
        }));
        await here.StartAsync();
        var info = await ClusterRequest.AnsweredAsync(ct => here.Get<IImbTopology>().GetStreamAsync("PLACED_HERE", ct).AsTask(), Ct);
        Assert.Equal(2, info.Replicas.Count);

        await using var elsewhere = Host(imb => imb.AddStream("PLACED_ELSEWHERE", s =>
        {
            s.Subjects.Add("placed.elsewhere.>");
            s.Placement = new StreamPlacementOptions { Cluster = "no-such-cluster" };
        }));
        var error = await Assert.ThrowsAsync<ImbException>(elsewhere.StartAsync);
        Assert.Contains("refused to create stream PLACED_ELSEWHERE: no suitable peers for placement", error.Message, StringComparison.Ordinal);
        Assert.Contains("Declared: Replicas 1, Placement:Cluster no-such-cluster.", error.Message, StringComparison.Ordinal);
        Assert.Equal(10005, error.ServerErrorCode);
    }

    [Fact]
    public async Task StartAsync_DeclarationChangedOnACluster_DriftLoggedAndTheStreamScaledToThreeReplicas()
    {
        await using (var first = Host(imb => imb.AddStream("DRIFT_R", s => { s.Subjects.Add("drift.r.>"); s.MaxAge = TimeSpan.FromHours(1); })))
        {
            await first.StartAsync();
        }

        await using var second = Host(imb => imb.AddStream("DRIFT_R", s => { s.Subjects.Add("drift.r.>"); s.MaxAge = TimeSpan.FromHours(2); s.Replicas = 3; }));
        await second.StartAsync();

        var drift = second.LogsWithEventId(303).Select(l => l.Message).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(2, drift.Count);
        Assert.Contains("drift in MaxAge: declared 02:00:00, server has 01:00:00", drift[0], StringComparison.Ordinal);
        Assert.Contains("drift in Replicas: declared 3, server has 1", drift[1], StringComparison.Ordinal);
        var topology = second.Get<IImbTopology>();
        await Waiter.UntilAsync(
            async ct => await ClusterRequest.AnsweredAsync(c => topology.GetStreamAsync("DRIFT_R", c).AsTask(), ct) is { Replicas.Count: 2, ReplicasCurrent: true },
            Waiter.Patience,
            "DRIFT_R to have two current followers",
            Ct);
        var config = (await second.Get<ImbConnection>().JetStream.GetStreamAsync("DRIFT_R", cancellationToken: Ct)).Info.Config;
        Assert.Equal((3, TimeSpan.FromHours(2)), (config.NumReplicas, config.MaxAge));
    }

    private ImbTestHost Host(Action<IImbBuilder> imb) =>
        ImbTestHost.CreateExternal(cluster.Nodes.Select(n => n.Url), o => o.DefaultTopology = false, imb);
}
