using Imb.Connection;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Subscribing;

/// <summary>
/// Pausing a subscription on a real server: from 2.11 the consumer itself is paused (for every instance, across a
/// host restart); before that the pause holds in the process only, and the log says so naming the version.
/// </summary>
public sealed class ConsumerPauseTests(NatsServerFixture nats)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PauseAsync_PausesTheConsumerOnTheServerWhereItCanAndSurvivesAHostRestart_ElseInThisProcessOnly()
    {
        var stream = nats.NewName("PAUSE");
        void Subscribe(IImbBuilder imb, string name, string _) => imb.AddSubscription("paused", s => s.Stream = name, (_, _, _) => ValueTask.CompletedTask);
        var scenario = await SubscriptionScenario.StartAsync(nats.Url, stream, Subscribe);
        var onServer = ServerFeatureGate.Supports(scenario.Host.Get<ImbConnection>().ServerVersion, ServerFeature.ConsumerPause);

        await scenario.Host.Get<ISubscriptions>().PauseAsync("paused", Ct);

        var logged = Assert.Single(scenario.Host.LogsWithEventId(519)).Message;
        var info = await scenario.ConsumerInfoAsync("paused");
        if (!onServer)
        {
            Assert.Contains("in this process only", logged, StringComparison.Ordinal);
            Assert.Contains("2.11.0", logged, StringComparison.Ordinal);
            Assert.False(info.IsPaused);
            await scenario.DisposeAsync();
            return;
        }

        Assert.Contains($"on the server too: consumer paused is paused for every instance", logged, StringComparison.Ordinal);
        Assert.True(info.IsPaused);
        Assert.True(info.PauseRemaining > TimeSpan.FromDays(365), $"paused for {info.PauseRemaining}");

        // Provisioning at the next start updates the consumer; it must not lift an operator's pause.
        await scenario.DisposeAsync();
        await using var again = await SubscriptionScenario.StartAsync(nats.Url, stream, Subscribe);
        Assert.True((await again.ConsumerInfoAsync("paused")).IsPaused);
        await Waiter.UntilAsync(async _ => State(await again.HealthAsync()) is "Paused", Waiter.Patience, "the new host to show the server's pause", Ct);
        await again.Host.Get<ISubscriptions>().ResumeAsync("paused", Ct);
        Assert.False((await again.ConsumerInfoAsync("paused")).IsPaused);
        await Waiter.UntilAsync(async _ => State(await again.HealthAsync()) is "Consuming", Waiter.Patience, "the new host to consume again", Ct);
        Assert.Contains("resumed for every instance", Assert.Single(again.Host.LogsWithEventId(520)).Message, StringComparison.Ordinal);
    }

    private static object State(Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report) => report.Entries["imb"].Data["subscription.paused.state"];
}
