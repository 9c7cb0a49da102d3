using System.Collections.Concurrent;
using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on pausing a subscription at run time (<see cref="ISubscriptions"/>).</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Subscription_Paused_HandlesNothingPublishedMeanwhileAndResumed_HandlesAllOfItOnce()
    {
        var handled = new ConcurrentDictionary<string, int>();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) => imb.AddSubscription("pausable", s => s.Stream = stream, (message, _, _) =>
        {
            handled.AddOrUpdate(Encoding.ASCII.GetString(message.Data.Span), 1, (_, n) => n + 1);
            return ValueTask.CompletedTask;
        }));
        await using var _ = host;
        var bus = host.Get<IMessageBus>();
        var subscriptions = host.Get<ISubscriptions>();
        await bus.PublishAsync($"{subject}.a", "before"u8.ToArray(), cancellationToken: Ct);
        await Waiter.UntilAsync(() => handled.ContainsKey("before"), Waiter.Patience, "the message before the pause to be handled", Ct);

        await subscriptions.PauseAsync("pausable", Ct);
        await Waiter.UntilAsync(async _ => (await HealthAsync(host)).Data["subscription.pausable.state"] is "Paused", Waiter.Patience, "the subscription to report Paused", Ct);
        for (var i = 0; i < 20; i++)
        {
            await bus.PublishAsync($"{subject}.a", Encoding.ASCII.GetBytes($"paused-{i}"), cancellationToken: Ct);
        }

        // Paused, the loop has stopped pulling: a flush of the bus and the health check round-trip give a late
        // delivery every chance to show, and none may be handled.
        await bus.FlushAsync(Ct);
        var whilePaused = await HealthAsync(host);
        Assert.Equal(["before"], handled.Keys);
        Assert.Equal(HealthStatus.Healthy, whilePaused.Status);
        Assert.Contains("paused: pausable", whilePaused.Description, StringComparison.Ordinal);

        await subscriptions.ResumeAsync("pausable", Ct);
        await Waiter.UntilAsync(() => handled.Count == 21, Waiter.Patience, "every message published while paused to be handled", Ct);
        Assert.All(handled, h => Assert.Equal(1, h.Value));
        Assert.Equal("Consuming", (await HealthAsync(host)).Data["subscription.pausable.state"]);
        var unknown = await Assert.ThrowsAsync<ImbException>(async () => await subscriptions.PauseAsync("nope", Ct));
        Assert.Contains("No subscription nope runs in this host (running: pausable)", unknown.Message, StringComparison.Ordinal);
    }

    private static async Task<HealthReportEntry> HealthAsync(ImbTestHost host) => (await host.Get<HealthCheckService>().CheckHealthAsync(Ct)).Entries["imb"];
}
