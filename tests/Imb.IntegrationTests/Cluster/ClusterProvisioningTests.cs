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

    [Fact]
    public async Task StartAsync_ClusterWithoutQuorum_ProvisioningTriesAgainUntilItIsBack()
    {
        // Two of three nodes frozen: the third has no meta leader, and answers JetStream requests with 503 or not at all.
        var alone = cluster.Nodes[0];
        await cluster.Nodes[1].PauseAsync(Ct);
        await cluster.Nodes[2].PauseAsync(Ct);
        try
        {
            await using var probe = new NATS.Client.Core.NatsConnection(NATS.Client.Core.NatsOpts.Default with { Url = alone.Url });
            var js = new NATS.Client.JetStream.NatsJSContext(probe, new NATS.Client.JetStream.NatsJSOpts(probe.Opts, requestTimeout: TimeSpan.FromSeconds(1)));
            await Waiter.UntilAsync(async ct => !await AnswersAsync(js, ct), Waiter.Patience, $"{alone.Name} to lose its meta leader", Ct);

            await using var host = ImbTestHost.CreateExternal([alone.Url], o => o.DefaultTopology = false, imb => imb.AddStream("QUORUM", s => s.Subjects.Add("quorum.>")));
            var starting = host.StartAsync();
            await Waiter.UntilAsync(() => host.LogsWithEventId(310).Count > 0 || starting.IsCompleted, Waiter.Patience, "provisioning to log that it tries again", Ct);
            Assert.False(starting.IsCompleted, $"host start ended while the cluster had no quorum: {starting.Exception?.InnerException?.Message}");
            cluster.Nodes[1].Resume();
            cluster.Nodes[2].Resume();

            await starting;
            Assert.Equal("QUORUM", (await ClusterRequest.AnsweredAsync(ct => host.Get<IImbTopology>().GetStreamAsync("QUORUM", ct).AsTask(), Ct)).Name);
            Assert.Contains("Provisioning attempt 1 failed, trying again", host.LogsWithEventId(310)[0].Message, StringComparison.Ordinal);
        }
        finally
        {
            cluster.Nodes[1].Resume();
            cluster.Nodes[2].Resume();
        }
    }

    private static async Task<bool> AnswersAsync(NATS.Client.JetStream.NatsJSContext js, CancellationToken cancellationToken)
    {
        try
        {
            await js.GetAccountInfoAsync(cancellationToken);
            return true;
        }
        catch (Exception e) when (Imb.Connection.NatsFailures.IsUnavailable(e) || e is NATS.Client.JetStream.NatsJSApiException)
        {
            return false;
        }
    }

    private ImbTestHost Host(Action<IImbBuilder> imb) =>
        ImbTestHost.CreateExternal(cluster.Nodes.Select(n => n.Url), o => o.DefaultTopology = false, imb);
}
