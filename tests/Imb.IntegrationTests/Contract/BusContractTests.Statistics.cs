using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on <see cref="IImbStatistics"/>: the same figures in both modes.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Statistics_HandledRetriedAndDeadLettered_EachSubscriptionCountsItsOwnAndTheStreamItsMessages()
    {
        var (host, subject) = await StartAsync(subscribe: (imb, stream, prefix) =>
        {
            imb.AddSubscription("fine", s => { s.Stream = stream; s.FilterSubject = prefix + ".a"; }, (_, _, _) => ValueTask.CompletedTask);
            imb.AddSubscription("flaky", s => { s.Stream = stream; s.FilterSubject = prefix + ".b"; s.RetryDelay = TimeSpan.FromMilliseconds(20); }, (m, _, _) =>
                m.DeliveryCount == 1 ? throw new InvalidOperationException("not yet") : ValueTask.CompletedTask);
            imb.AddSubscription("poisoned", s => { s.Stream = stream; s.FilterSubject = prefix + ".c"; }, (_, _, _) =>
                throw new ImbException("cannot be read") { Kind = ImbErrorKind.Poison });
        });
        await using var _ = host;
        var statistics = host.Get<IImbStatistics>();
        var bus = host.Get<IMessageBus>();

        await bus.PublishAsync(subject + ".a", "1"u8.ToArray(), cancellationToken: Ct);
        await bus.PublishAsync(subject + ".b", "2"u8.ToArray(), cancellationToken: Ct);
        await bus.PublishAsync(subject + ".c", "3"u8.ToArray(), cancellationToken: Ct);
        ImbStatisticsSnapshot? snapshot = null;
        await Waiter.UntilAsync(
            async ct => (snapshot = await statistics.GetSnapshotAsync(ct)).Subscriptions.Sum(s => s.Handled + s.DeadLettered) == 3,
            Waiter.Patience,
            "every message to be settled",
            Ct);

        var by = snapshot!.Subscriptions.ToDictionary(s => s.Name);
        Assert.Equal((1L, 0L, 0L), (by["fine"].Handled, by["fine"].Failed, by["fine"].DeadLettered));
        Assert.Equal((1L, 1L, 0L), (by["flaky"].Handled, by["flaky"].Failed, by["flaky"].DeadLettered));
        Assert.Equal((0L, 0L, 1L), (by["poisoned"].Handled, by["poisoned"].Failed, by["poisoned"].DeadLettered));
        Assert.Equal("InvalidOperationException: not yet", by["flaky"].LastError);
        Assert.Contains("cannot be read", by["poisoned"].LastError, StringComparison.Ordinal);
        Assert.NotNull(by["fine"].LastHandledAt);
        Assert.Null(by["poisoned"].LastHandledAt);
        Assert.True(by["fine"].HandledPerSecond > 0);
        Assert.All(by.Values, s => Assert.Equal("Consuming", s.State));
        Assert.Equal(3, snapshot.Streams.Single(s => s.Name.StartsWith("C_", StringComparison.Ordinal) && s.Subjects.Contains(subject + ".>")).Messages);
        Assert.True(snapshot.Publishing.Stored >= 3, $"stored {snapshot.Publishing.Stored}");
        Assert.Equal((0L, 0), (snapshot.Publishing.Refused, snapshot.Publishing.AwaitingAck));
    }
}
