using System.Text;
using Imb.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Imb.IntegrationTests.Contract;

/// <summary>The contract on concurrent handlers.</summary>
public abstract partial class BusContractTests
{
    [Fact]
    public async Task Subscription_ConcurrencyFour_EveryIdleHandlerSlotTakesTheNextMessage()
    {
        var active = 0;
        var allBusy = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("parallel", s => { s.Stream = stream; s.Concurrency = 4; }, async (_, _, cancellationToken) =>
            {
                if (Interlocked.Increment(ref active) == 4)
                {
                    allBusy.TrySetResult();
                }

                // Each handler holds its slot until all four are busy at once.
                await allBusy.Task.WaitAsync(cancellationToken);
            }));
        await using var _ = host;

        // One message at a time, each once the previous one is being handled: the other slots are idle by then, so
        // every message has to wake one of them.
        for (var i = 1; i <= 4; i++)
        {
            await host.Get<IMessageBus>().PublishAsync($"{subject}.m{i}", Encoding.UTF8.GetBytes("x"), cancellationToken: Ct);
            var expected = i;
            await Waiter.UntilAsync(() => Volatile.Read(ref active) >= expected, Waiter.Patience, $"{expected} handlers busy at once", Ct);
        }

        await allBusy.Task.WaitAsync(Waiter.Patience, Ct);
    }

    [Fact]
    public async Task Subscription_BurstThenOneMore_EveryMessageHandledOnceInOrder()
    {
        var seen = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var (host, subject) = await StartAsync(subscribe: (imb, stream, _) =>
            imb.AddSubscription("burst", s => s.Stream = stream, (m, _, _) => { seen.Enqueue(BitConverter.ToInt32(m.Data.Span)); return ValueTask.CompletedTask; }));
        await using var _ = host;
        var bus = host.Get<IMessageBus>();

        // In memory a consumer that keeps finding new messages naps between batches instead of spinning; once the burst
        // is over it has to go back to waiting for a signal, or the last message would never arrive.
        const int Burst = 10_000;
        for (var i = 0; i < Burst; i++)
        {
            await bus.EnqueueAsync($"{subject}.b", BitConverter.GetBytes(i), cancellationToken: Ct);
        }

        await bus.FlushAsync(Ct);
        await Waiter.UntilAsync(() => seen.Count == Burst, Waiter.Patience, $"{Burst} messages of the burst", Ct);
        await bus.PublishAsync($"{subject}.b", BitConverter.GetBytes(Burst), cancellationToken: Ct);
        await Waiter.UntilAsync(() => seen.Count == Burst + 1, Waiter.Patience, "the message after the burst", Ct);

        Assert.Equal(Enumerable.Range(0, Burst + 1), seen);
    }
}
