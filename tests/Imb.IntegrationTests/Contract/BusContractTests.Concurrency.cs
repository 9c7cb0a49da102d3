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
            await Waiter.UntilAsync(() => Volatile.Read(ref active) >= expected, Patience, $"{expected} handlers busy at once", Ct);
        }

        await allBusy.Task.WaitAsync(Patience, Ct);
    }
}
