using Imb.Testing;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Imb.IntegrationTests.Cluster;

[Collection(Imb.IntegrationTests.Cluster.ClusterTests.Name)]
public sealed class ClusterFixtureTests(NatsClusterFixture cluster) : IClassFixture<NatsClusterFixture>
{
    [Fact]
    public async Task ReplicatedStream_LeaderKilled_PublishingResumesOnANewLeader()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var connection = new NatsConnection(NatsOpts.Default with { Url = cluster.Urls });
        var js = new NatsJSContext(connection);
        var stream = await js.CreateStreamAsync(new StreamConfig("R3_FAILOVER", ["failover.>"]) { NumReplicas = 3 }, ct);
        await js.PublishAsync("failover.before", "1", cancellationToken: ct);
        var leader = cluster.Node(stream.Info.Cluster!.Leader!);

        await leader.KillAsync();
        var ack = await PublishUntilStoredAsync(js, TimeSpan.FromSeconds(30), ct);

        Assert.Equal(2UL, ack.Seq);
        var info = await js.GetStreamAsync("R3_FAILOVER", cancellationToken: ct);
        Assert.NotEqual(leader.Name, info.Info.Cluster!.Leader);
        await leader.RestartAsync(ct);
        Assert.True(leader.IsRunning);
    }

    [Fact]
    public async Task PausedNode_AcceptsNoConnectionUntilResumed()
    {
        var ct = TestContext.Current.CancellationToken;
        var node = cluster.Nodes[^1];

        await node.PauseAsync(TestContext.Current.CancellationToken);
        try
        {
            // A frozen server cannot send its INFO, so a fresh connection cannot open.
            await using var whilePaused = new NatsConnection(NatsOpts.Default with { Url = node.Url, ConnectTimeout = TimeSpan.FromMilliseconds(500) });
            await Assert.ThrowsAsync<NatsException>(async () => await whilePaused.ConnectAsync());
        }
        finally
        {
            node.Resume();
        }

        await using var afterResume = new NatsConnection(NatsOpts.Default with { Url = node.Url });
        await afterResume.ConnectAsync();
        await afterResume.PingAsync(ct);
    }

    /// <summary>Publishes with the same message id until the new leader stores it (duplicates are harmless).</summary>
    private static async Task<PubAckResponse> PublishUntilStoredAsync(NatsJSContext js, TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        while (true)
        {
            try
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token);
                attempt.CancelAfter(TimeSpan.FromSeconds(1));
                var ack = await js.PublishAsync("failover.after", "2", opts: new NatsJSPubOpts { MsgId = "after-1" }, cancellationToken: attempt.Token);
                ack.EnsureSuccess();
                return ack;
            }
            catch (Exception e) when (e is NatsJSException or NatsNoRespondersException or NatsException or OperationCanceledException && !deadline.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), deadline.Token);
            }
        }
    }
}
