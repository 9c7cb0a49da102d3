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

        await server.StopAsync(Ct);
        await server.RestartAsync(Ct);
        var mark = probe.Mark();
        var gap = await probe.WaitForHandlingAfterAsync(mark, TimeSpan.FromSeconds(30), Ct);

        var counts = await probe.StopAndCountAsync(Waiter.Patience, Ct);
        TestContext.Current.TestOutputHelper?.WriteLine($"handling resumed {Ms(gap)} after the server was back; {counts}");
        if (counts.Duplicated > 0)
        {
            // What the subscription saw of the restart: was its consumer found missing and created anew?
            foreach (var record in scenario.Host.Logs.GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Information))
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{record.Timestamp:HH:mm:ss.fff} {record.Id.Id} {record.Message}");
            }
        }

        Assert.True(gap < TimeSpan.FromSeconds(3), $"handling resumed {Ms(gap)} after the restart");
        Assert.Equal(0, counts.Lost);
        Assert.True(counts.Duplicated == 0, $"duplicated: {counts}");
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
