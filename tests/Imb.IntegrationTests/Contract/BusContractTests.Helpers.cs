using System.Collections.Concurrent;
using Imb.Events;
using Imb.Testing;

namespace Imb.IntegrationTests.Contract;

/// <summary>The suite's helpers that are not about starting a host.</summary>
public abstract partial class BusContractTests
{
    /// <summary>A responder's subscription reaches a server asynchronously: no responders at first is not a failure yet.</summary>
    private static async Task<ReadOnlyMemory<byte>> RetryUntilServedAsync(Func<ValueTask<ReadOnlyMemory<byte>>> request)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            try
            {
                return await request();
            }
            catch (ImbException e) when (e.Kind == ImbErrorKind.NoResponders && TimeProvider.System.GetElapsedTime(started) < Waiter.Patience)
            {
                await Task.Yield();
            }
        }
    }

    internal sealed class PlanRecorder(ConcurrentQueue<Event> plans) : IEventHandler<PlanReady>
    {
        public ValueTask HandleAsync(Event envelope, PlanReady data, CancellationToken cancellationToken)
        {
            plans.Enqueue(envelope);
            return ValueTask.CompletedTask;
        }
    }
}
