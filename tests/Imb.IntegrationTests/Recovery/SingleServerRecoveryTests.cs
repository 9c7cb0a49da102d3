using Imb.IntegrationTests.Subscribing;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Recovery;

/// <summary>
/// How soon a subscription on Imb's default recovery options handles again after its connection is reset or its server
/// restarts, with nothing lost or handled twice. The gaps are printed; the bounds are the ones Imb promises in README.
/// </summary>
public sealed class SingleServerRecoveryTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConnectionReset_SubscriptionHandlesAgainWithinTwoSeconds_NothingLostOrDuplicated()
    {
        await using var server = await NatsNode.StartAsync("reset", Path.Combine(nats.Directory, nats.NewName("reset")), cancellationToken: Ct);
        await using var proxy = NatsProxy.Start(server.Url);
        await using var probe = FaultProbe.Start(server.Url, "reset.work");
        await using var scenario = await StartAsync(proxy.Url, "RESET", probe);
        await probe.WaitUntilFlowingAsync(Ct);

        var gaps = new List<TimeSpan>();
        for (var reset = 0; reset < 10; reset++)
        {
            var mark = probe.Mark();
            Assert.True(proxy.ResetConnections() > 0);
            gaps.Add(await probe.WaitForHandlingAfterAsync(mark, TimeSpan.FromSeconds(30), Ct));
        }

        var counts = await probe.StopAndCountAsync(Waiter.Patience, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"handling resumed after a connection reset in {string.Join(", ", gaps.Select(Ms))}; {counts}");
        Assert.All(gaps, gap => Assert.True(gap < TimeSpan.FromSeconds(2), $"handling resumed {Ms(gap)} after a reset"));
        Assert.Equal(0, counts.Lost);
        Assert.True(counts.Duplicated == 0, $"duplicated: {counts}");
    }

    [Fact]
    public async Task ServerRestartedOnItsStore_SubscriptionHandlesAgainWithinThreeSeconds_NothingLostOrDuplicated()
    {
        // A graceful restart (SIGTERM): the server saves its consumers' ack state. After SIGKILL it may not have, and
        // redelivers what it had not saved as acknowledged; that is the crash test in SubscriptionResilienceTests.
        await using var server = await NatsNode.StartAsync("restart", Path.Combine(nats.Directory, nats.NewName("restart")), cancellationToken: Ct);
        await using var probe = FaultProbe.Start(server.Url, "restart.work");
        await using var scenario = await StartAsync(server.Url, "RESTART", probe);
        await probe.WaitUntilFlowingAsync(Ct);

        // What the server confirmed before the stop: a message at or below this ack floor that comes back was
        // forgotten by the server (nats-server 2.9 and 2.10 have been seen to restore a young consumer's state from
        // before its last acks after a graceful stop), not by Imb, provided the consumer is the same one.
        var before = await scenario.ConsumerInfoAsync("steady");
        await server.StopAsync(Ct);
        await server.RestartAsync(Ct);
        var mark = probe.Mark();
        var gap = await probe.WaitForHandlingAfterAsync(mark, TimeSpan.FromSeconds(30), Ct);

        var counts = await probe.StopAndCountAsync(Waiter.Patience, Ct);
        var after = await scenario.ConsumerInfoAsync("steady");
        var forgotten = probe.DuplicatedAtOrBelow(before.AckFloor.StreamSeq);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"handling resumed {Ms(gap)} after the server was back; {counts}; ack floor before the stop {before.AckFloor.StreamSeq}, " +
            $"{forgotten} duplicates at or below it (acks the server had confirmed and forgot)");
        Assert.True(gap < TimeSpan.FromSeconds(3), $"handling resumed {Ms(gap)} after the restart");
        Assert.Equal(0, counts.Lost);
        // The server keeps the creation time to within a millisecond across a restart; one created anew after it
        // would be seconds younger.
        Assert.True((after.Created - before.Created).Duration() < TimeSpan.FromMilliseconds(100), $"the consumer was created {before.Created:O}, then {after.Created:O}");
        Assert.Empty(scenario.Host.LogsWithEventId(509));
        Assert.True(counts.Duplicated - forgotten == 0, $"duplicated beyond what the server forgot: {counts}");
    }

    private static string Ms(TimeSpan gap) => $"{gap.TotalMilliseconds:F0} ms";

    /// <summary>A host on Imb's default connection and recovery options (the scenario's own are tuned for speed).</summary>
    private static Task<SubscriptionScenario> StartAsync(string url, string stream, FaultProbe probe)
    {
        var defaults = new ImbOptions();
        return SubscriptionScenario.StartAsync(
            url,
            stream,
            (imb, name, _) => imb.AddSubscription("steady", s => s.Stream = name, (message, _, _) =>
            {
                probe.Handled(message);
                return ValueTask.CompletedTask;
            }),
            o =>
            {
                o.ReconnectWait = defaults.ReconnectWait;
                o.Subscribing.ConsumerCheckInterval = defaults.Subscribing.ConsumerCheckInterval;
            });
    }
}
