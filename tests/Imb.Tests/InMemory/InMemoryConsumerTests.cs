using Imb.InMemory;
using Imb.Publishing;
using Imb.Testing;

namespace Imb.Tests.InMemory;

public sealed class InMemoryConsumerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task NextAsync_AfterAPublisherThatKeptAppendingStops_SleepsUntilTheNextAppend()
    {
        var stream = new InMemoryStream("S", new StreamOptions { Subjects = { "s.>" } }, new MessageIds(TimeProvider.System), TimeProvider.System);
        var consumer = new InMemoryConsumer(stream, "c", new SubscriptionOptions { Stream = "S" }, TimeProvider.System);
        var batch = new Delivery[256];
        const int Count = 200_000;

        // A publisher appending all along: the consumer catches up again and again, and naps instead of spinning.
        var publishing = Task.Run(() =>
        {
            for (var i = 0; i < Count; i++)
            {
                stream.Append("s.x", BitConverter.GetBytes(i), null, null, null, out _);
            }
        }, Ct);
        var taken = 0;
        while (taken < Count)
        {
            var count = await consumer.NextAsync(batch, Ct);
            Assert.Equal(taken, BitConverter.ToInt32(batch[0].Message.Data.Span));
            taken += count;

            // Acked as a subscriber acks: a consumer at MaxAckPending would wait for acks, not for appends.
            consumer.Ack([.. batch.Take(count).Select(d => d.Message.Sequence)]);
        }

        await publishing;
        var next = consumer.NextAsync(batch, Ct).AsTask();
        await Waiter.UntilAsync(() => stream.SleepingConsumers == 1, TimeSpan.FromSeconds(10), "the consumer to sleep until signalled", Ct);
        Assert.False(next.IsCompleted);

        stream.Append("s.x", BitConverter.GetBytes(Count), null, null, null, out _);
        Assert.Equal(1, await next.WaitAsync(TimeSpan.FromSeconds(10), Ct));
        Assert.Equal(Count, BitConverter.ToInt32(batch[0].Message.Data.Span));
    }
}
