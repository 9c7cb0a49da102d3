using System.Diagnostics;
using Imb.Streams;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Imb.IntegrationTests.Recovery;

/// <summary>
/// A subscription on a three-node cluster (stream at R3, the host connected to every node) whose consumer leader is
/// killed: how soon after the new leader's election it handles again, with nothing lost or handled twice.
/// </summary>
[Collection(Imb.IntegrationTests.Cluster.ClusterTests.Name)]
public sealed class ClusterRecoveryTests(NatsClusterFixture cluster) : IClassFixture<NatsClusterFixture>
{
    private const string Stream = "R3_RECOVERY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConsumerLeaderKilled_SubscriptionHandlesAgainWithinAPullExpiryOfTheElection_NothingLostOrDuplicated()
    {
        await using var probe = FaultProbe.Start(cluster.Urls, "r3recovery.work");
        await using var host = ImbTestHost.CreateExternal(
            cluster.Nodes.Select(n => n.Url),
            imb: imb =>
            {
                imb.AddStream(Stream, s =>
                {
                    s.Subjects.Add("r3recovery.>");
                    s.Replicas = 3;
                });
                imb.AddStream(DefaultTopology.DeadLetters, s =>
                {
                    DefaultTopology.Core[DefaultTopology.DeadLetters](s);
                    s.Replicas = 3;
                });
                imb.AddSubscription("steady", s => s.Stream = Stream, (message, _, _) =>
                {
                    probe.Handled(message);
                    return ValueTask.CompletedTask;
                });
            });
        await host.StartAsync();
        await probe.WaitUntilFlowingAsync(Ct);

        // Asked on a connection of its own with a short request timeout, so that the election is seen when it happens.
        await using var observer = new NatsConnection(NatsOpts.Default with { Url = cluster.Urls });
        var js = new NatsJSContext(observer, new NatsJSOpts(observer.Opts, requestTimeout: TimeSpan.FromMilliseconds(500)));
        var leader = cluster.Node(await LeadBothAsync(observer, js));

        // Marked once the process is gone: a message published while it was still exiting may be handled by it.
        await leader.KillAsync();
        var mark = probe.Mark();
        var elected = await WaitForNewLeaderAsync(js, leader.Name);
        var sinceKill = await probe.WaitForHandlingAfterAsync(mark, TimeSpan.FromSeconds(60), Ct);
        var election = Stopwatch.GetElapsedTime(mark.At, elected);
        var sinceElection = sinceKill - election;
        await leader.RestartAsync(Ct);

        var counts = await probe.StopAndCountAsync(Waiter.Patience, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"killed {leader.Name} (stream and consumer leader): new consumer leader after {election.TotalMilliseconds:F0} ms, " +
            $"handling resumed {sinceKill.TotalMilliseconds:F0} ms after the kill ({sinceElection.TotalMilliseconds:F0} ms after the election); {counts}");
        // Usually two missed heartbeats (2 s); at worst a pull the new leader did not take is replaced when it expires
        // (measured once at 11.5 s on 2.9.10, the pull expiry plus 1.5 s).
        var defaults = new SubscribingOptions();
        var worst = defaults.PullExpiry + (2 * defaults.Heartbeat);
        Assert.True(sinceElection < worst, $"handling resumed {sinceElection} after the election; at most {worst} (pull expiry and two heartbeats)");
        Assert.Equal(0, counts.Lost);
        Assert.True(counts.Duplicated == 0, $"duplicated: {counts}");
    }

    /// <summary>Moves the consumer's leadership (step-downs pick a node at random) until one node leads stream and consumer.</summary>
    private static async Task<string> LeadBothAsync(NatsConnection observer, NatsJSContext js)
    {
        for (var attempt = 0; ; attempt++)
        {
            var stream = (await ClusterRequest.AnsweredAsync(ct => js.GetStreamAsync(Stream, cancellationToken: ct).AsTask(), Ct)).Info.Cluster!.Leader!;
            var consumer = (await ClusterRequest.AnsweredAsync(ct => js.GetConsumerAsync(Stream, "steady", ct).AsTask(), Ct)).Info.Cluster!.Leader!;
            if (stream == consumer)
            {
                return stream;
            }

            Assert.True(attempt < 20, "no step-down put the consumer's leadership on the stream leader");
            await observer.RequestAsync<byte[], byte[]>($"$JS.API.CONSUMER.LEADER.STEPDOWN.{Stream}.steady", [], cancellationToken: Ct);
            await Waiter.UntilAsync(
                async ct => await CurrentLeaderAsync(js, ct) is { } now && now != consumer, Waiter.Patience, "the consumer to elect after its step-down", Ct);
        }
    }

    private static async Task<string?> CurrentLeaderAsync(NatsJSContext js, CancellationToken ct)
    {
        try
        {
            return (await js.GetConsumerAsync(Stream, "steady", ct)).Info.Cluster?.Leader is { Length: > 0 } leader ? leader : null;
        }
        catch (Exception e) when (e is NatsException or NatsJSException)
        {
            // No leader yet, or the request went to a node that is gone.
            return null;
        }
    }

    /// <summary>Asks the surviving nodes until the consumer reports a leader other than the killed one; returns when.</summary>
    private static async Task<long> WaitForNewLeaderAsync(NatsJSContext js, string killed)
    {
        await Waiter.UntilAsync(async ct => await CurrentLeaderAsync(js, ct) is { } now && now != killed, TimeSpan.FromSeconds(60), "a new consumer leader", Ct);
        return Stopwatch.GetTimestamp();
    }
}
