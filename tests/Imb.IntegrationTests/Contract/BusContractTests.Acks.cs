using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on when a handled message is acked.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Subscription_MessageHandledAtOnce_IsAckedWhileTheNextHandlerStillRuns()
    {
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseFirst = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (host, subject) = await StartAsync(
            subscribe: (imb, stream, _) => imb.AddSubscription("acks", s => s.Stream = stream, async (message, _, cancellationToken) =>
            {
                var (started, go) = message.Subject[(message.Subject.LastIndexOf('.') + 1)..] switch
                {
                    "first" => (firstStarted, releaseFirst),
                    "slow" => (slowStarted, release),
                    _ => (null, null),
                };
                started?.TrySetResult();
                await (go?.Task.WaitAsync(cancellationToken) ?? Task.CompletedTask);
            }),
            options: o => o.Subscribing.ConsumerCheckInterval = TimeSpan.FromMilliseconds(100));
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        // The quick and the slow one are stored while the first one's handler runs, so that they arrive together (in
        // memory, one batch): the quick one's ack must not wait for the slow one.
        await bus.PublishAsync($"{subject}.first", Encoding.UTF8.GetBytes("0"), cancellationToken: Ct);
        await firstStarted.Task.WaitAsync(Waiter.Patience, Ct);
        await bus.PublishAsync($"{subject}.quick", Encoding.UTF8.GetBytes("1"), cancellationToken: Ct);
        await bus.PublishAsync($"{subject}.slow", Encoding.UTF8.GetBytes("2"), cancellationToken: Ct);
        releaseFirst.SetResult();
        await slowStarted.Task.WaitAsync(Waiter.Patience, Ct);

        await Waiter.UntilAsync(async _ => await CountsAsync(host) == (0, 1), Waiter.Patience, "only the slow message unacked while its handler runs", Ct);
        release.SetResult();
        await Waiter.UntilAsync(async _ => await CountsAsync(host) == (0, 0), Waiter.Patience, "both messages acked", Ct);
    }

    private static async Task<(long Pending, long AckPending)> CountsAsync(ImbTestHost host)
    {
        var report = await host.Get<HealthCheckService>().CheckHealthAsync(Ct);
        var data = report.Entries.Values.SelectMany(e => e.Data).ToDictionary();
        return data.TryGetValue("subscription.acks.pending", out var pending) && data.TryGetValue("subscription.acks.ack_pending", out var ackPending)
            ? (Convert.ToInt64(pending, System.Globalization.CultureInfo.InvariantCulture), Convert.ToInt64(ackPending, System.Globalization.CultureInfo.InvariantCulture))
            : (-1, -1);
    }
}
