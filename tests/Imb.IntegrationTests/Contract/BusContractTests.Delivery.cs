using System.Collections.Concurrent;
using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on what a consumer delivers: where it starts, and how many messages it hands out unacked.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Start_LastPerSubject_DeliversTheLastOfEachSubjectThenEveryNewOne()
    {
        var handled = new ConcurrentQueue<string>();
        var (host, subject) = await StartAsync(
            subscribe: (imb, stream, subject) => imb.AddSubscription("last", s => { s.Stream = stream; s.FilterSubject = subject + ".>"; s.Start = SubscriptionStart.LastPerSubject; }, (m, _, _) =>
            {
                handled.Enqueue(Encoding.UTF8.GetString(m.Data.Span));
                return ValueTask.CompletedTask;
            }),
            seed: async (bus, subject) =>
            {
                foreach (var (leaf, body) in new[] { ("a", "a1"), ("b", "b1"), ("a", "a2"), ("c", "c1"), ("b", "b2") })
                {
                    await bus.PublishAsync($"{subject}.{leaf}", Encoding.UTF8.GetBytes(body), cancellationToken: Ct);
                }
            });
        await using var _ = host;

        await host.Get<IMessageBus>().PublishAsync(subject + ".a", "a3"u8.ToArray(), cancellationToken: Ct);

        await Waiter.UntilAsync(() => handled.Contains("a3"), Waiter.Patience, "the new message", Ct);
        Assert.Equal(["a2", "c1", "b2", "a3"], handled);
    }

    [Fact]
    public async Task MaxAckPending_HandlerHoldsItsMessage_NoMoreThanTheLimitAreDelivered()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // Stored before the consumer exists, so that it has more to hand out than the limit from the start.
        var (host, _) = await StartAsync(
            subscribe: (imb, stream, _) => imb.AddSubscription("acks", s => { s.Stream = stream; s.MaxAckPending = 5; }, async (_, _, ct) => await release.Task.WaitAsync(ct)),
            options: o => o.Subscribing.ConsumerCheckInterval = TimeSpan.FromMilliseconds(100),
            seed: async (bus, subject) =>
            {
                for (var i = 0; i < 20; i++)
                {
                    await bus.PublishAsync(subject + ".m", "x"u8.ToArray(), cancellationToken: Ct);
                }
            });
        await using var _ = host;

        await Waiter.UntilAsync(async _ => await CountsAsync(host) == (15, 5), Waiter.Patience, "5 delivered and unacked, 15 waiting", Ct);
        release.SetResult();
        await Waiter.UntilAsync(async _ => await CountsAsync(host) == (0, 0), Waiter.Patience, "every message acked", Ct);
    }

    [Fact]
    public async Task FilterSubjects_Several_DeliverOnAnyOfThemOnlyAndTheirLastPerSubject()
    {
        // On a server, several filters need 2.10: before that, host start fails naming the version it needs.
        var (probe, _) = await StartAsync();
        var version = probe.Get<IImbServerInfo>().ServerVersion;
        await probe.DisposeAsync();
        var supported = !BrokerOutlivesHost || version >= new Version(2, 10);
        var handled = new ConcurrentQueue<string>();
        void Subscribe(IImbBuilder imb, string stream, string subject) =>
            imb.AddSubscription("several", s => { s.Stream = stream; s.FilterSubjects.Add(subject + ".a"); s.FilterSubjects.Add(subject + ".b.*"); s.Start = SubscriptionStart.LastPerSubject; }, (m, _, _) =>
            {
                handled.Enqueue(Encoding.UTF8.GetString(m.Data.Span));
                return ValueTask.CompletedTask;
            });
        async Task Seed(IMessageBus bus, string subject)
        {
            foreach (var (leaf, body) in new[] { ("a", "a1"), ("b.x", "bx1"), ("c", "c1"), ("a", "a2"), ("b", "b1") })
            {
                await bus.PublishAsync($"{subject}.{leaf}", Encoding.UTF8.GetBytes(body), cancellationToken: Ct);
            }
        }

        if (!supported)
        {
            var error = await Assert.ThrowsAsync<ImbException>(() => StartAsync(subscribe: Subscribe, seed: Seed));
            Assert.Contains("needs nats-server 2.10.0", error.Message, StringComparison.Ordinal);
            Assert.Contains("Subscription several", error.Message, StringComparison.Ordinal);
            return;
        }

        var (host, subject) = await StartAsync(subscribe: Subscribe, seed: Seed);
        await using var _ = host;
        await host.Get<IMessageBus>().PublishAsync(subject + ".c", "c2"u8.ToArray(), cancellationToken: Ct);
        await host.Get<IMessageBus>().PublishAsync(subject + ".b.y", "by1"u8.ToArray(), cancellationToken: Ct);

        await Waiter.UntilAsync(() => handled.Contains("by1"), Waiter.Patience, "the new message on a filtered subject", Ct);
        Assert.Equal(["bx1", "a2", "by1"], handled);
    }
}
